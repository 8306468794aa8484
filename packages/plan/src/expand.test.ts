import { describe, expect, it } from 'vitest';
import { expandPlan, parseShard, planSpecs, shardCells, validatePlan } from './index.ts';

const plan = (extra: object) => validatePlan({ name: 't', runners: [{ runner: 'ort-node:cpu', threads: [1, 2] }], ...extra }, 'test');

describe('plans', () => {
  it('expands axes to normalised, de-duplicated specs', () => {
    const p = plan({ axes: [{ family: 'mobilevitv2', widths: [0.5, 0.75], attention: ['separable', 'additive'] }], models: ['mobilevitv2_050'] });
    expect(planSpecs(p).map((s) => s.spec)).toEqual([
      'mobilevitv2_050',
      'mobilevitv2_050:attention=additive',
      'mobilevitv2_075',
      'mobilevitv2_075:attention=additive',
    ]);
    const cells = expandPlan(p);
    expect(cells).toHaveLength(8);
    expect(cells[1].key).toBe('mobilevitv2_050|ort-node:cpu|t2|all');
  });

  it('size-named families start from every canonical id', () => {
    expect(planSpecs(plan({ axes: [{ family: 'mobilevit', patch: ['A', 'B'] }] }))).toHaveLength(6);
  });

  it('structure knobs are axes too: their product, normalised (a canonical value is the canonical id)', () => {
    const p = plan({ axes: [{ family: 'mobilevit', ids: ['mobilevit_xxs'], depth: ['1x2x1', '2x4x3'], ffn: [2, 3], dims: ['64x80x96'] }] });
    expect(planSpecs(p).map((s) => s.spec)).toEqual([
      'mobilevit_xxs:depth=1x2x1',
      'mobilevit_xxs:depth=1x2x1,ffn=3',
      'mobilevit_xxs',
      'mobilevit_xxs:ffn=3',
    ]);
    const mnv2 = plan({ axes: [{ family: 'mobilenetv2', widths: [0.5], depth: ['1x1x1x1x1x1x1'], expand: [4, 6] }] });
    expect(planSpecs(mnv2).map((s) => s.spec)).toEqual(['mobilenetv2_050:depth=1x1x1x1x1x1x1,expand=4', 'mobilenetv2_050:depth=1x1x1x1x1x1x1']);
    expect(() => expandPlan(plan({ axes: [{ family: 'swiftformer', depth: ['3x3x6'] }] }))).toThrow(/axes\.0: swiftformer_xs:depth=3x3x6: depth='3x3x6' is not allowed; depth takes 4 integers/);
    expect(() => expandPlan(plan({ axes: [{ family: 'mobilenetv2', ffn: [2] }] }))).toThrow(/axes\.0: .*knob 'ffn' does not apply to family mobilenetv2/);
    expect(() => plan({ axes: [{ family: 'mobilevit', depth: [] }] })).toThrow(/axes\.0\.depth: an empty list gives no cells/);
    expect(() => plan({ axes: [{ family: 'mobilevit', ffn: ['2'] }] })).toThrow(/axes\.0\.ffn\.0/);
  });

  it('shards are disjoint, cover the plan and are deterministic', () => {
    const cells = expandPlan(plan({ axes: [{ family: 'mobilevit', patch: ['A', 'B'] }] }));
    const shards = [1, 2, 3].map((index) => shardCells(cells, { index, count: 3 }));
    expect(shards.flat().map((c) => c.key).sort()).toEqual(cells.map((c) => c.key).sort());
    expect(shardCells(cells, { index: 2, count: 3 })).toEqual(shards[1]);
    expect(() => parseShard('0/3')).toThrow(/1 <= i <= n/);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });

  it('invalid plans name the path of the bad field and what is allowed', () => {
    expect(() => validatePlan({ name: 'Bad Name', runners: [] }, 'x.json')).toThrow(/name: lower-case[\s\S]*runners: /);
    expect(() => validatePlan({ name: 'a', models: ['m'], runners: [{ runner: 'r', threads: [0] }] }, 'x.json')).toThrow(/runners\.0\.threads\.0/);
    expect(() => expandPlan(plan({ models: ['mobilevit_xxs', 'mobilevit_xxs:patch=Q'] }))).toThrow(/models\.1: .*patch='Q'/);
    expect(() => expandPlan(plan({ axes: [{ family: 'vit' }] }))).toThrow(/axes\.0\.family: unknown family 'vit'; families: mobilevit/);
  });

  it('accuracy: a kind name stands for its defaults; objects are checked field by field', () => {
    expect(plan({ models: ['mobilevit_xxs'] }).accuracy).toEqual({ kind: 'published' });
    expect(plan({ models: ['mobilevit_xxs'], accuracy: 'proxy' }).accuracy).toMatchObject({ kind: 'proxy', data: 'synthetic', resolution: 64, seed: 0 });
    expect(plan({ models: ['mobilevit_xxs'], accuracy: { kind: 'zero-cost', proxy: 'naswot' } }).accuracy).toMatchObject({ proxy: 'naswot' });
    expect(() => plan({ models: ['m'], accuracy: 'evaluated' })).toThrow(/accuracy\.data: [\s\S]*accuracy\.weights: /);
    expect(() => plan({ models: ['m'], accuracy: { kind: 'zero-cost', proxy: 'foo' } })).toThrow(/accuracy\.proxy: .*"synflow"\|"grad_norm"\|"snip"\|"naswot"/);
    expect(() => plan({ models: ['m'], accuracy: 'bogus' })).toThrow(/accuracy\.kind: .*'none' \| 'published' \| 'evaluated' \| 'proxy' \| 'zero-cost'/);
  });
});
