import { parseSpec } from '@mvbench/dsl';
import { describe, expect, it } from 'vitest';
import { defaultSpace, loadSpace, outsideSpace, parseSpace, sampleSpecs, spaceSize } from './index.ts';

const errorOf = (f: () => unknown): Error & { code?: string } => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('search space', () => {
  it('the default space covers all four families and is large', () => {
    const space = defaultSpace();
    expect(space.families.map((f) => f.family.name)).toEqual(['mobilevit', 'mobilevitv2', 'swiftformer', 'mobilenetv2']);
    expect(spaceSize(space)).toBeGreaterThan(1e6);
  });

  it('samples distinct buildable specs of every family, the same for a seed', () => {
    const a = sampleSpecs(defaultSpace(), 12, 7).map((s) => s.spec);
    expect(new Set(a).size).toBe(12);
    expect(sampleSpecs(defaultSpace(), 12, 7).map((s) => s.spec)).toEqual(a);
    expect(sampleSpecs(defaultSpace(), 12, 8).map((s) => s.spec)).not.toEqual(a);
    expect(new Set(a.map((s) => s.split(/[_:]/)[0])).size).toBe(4);
    for (const s of a) expect(outsideSpace(parseSpec(s), defaultSpace())).toEqual([]);
  });

  it('a space file narrows families; one option fixes a knob', () => {
    const space = parseSpace({ mobilevitv2: { resolution: [256], attention: ['separable', 'additive'] } }, 'my.json');
    expect(space.families).toHaveLength(1);
    const specs = sampleSpecs(space, 8, 1);
    for (const s of specs) {
      expect(s.resolution).toBe(256);
      expect(['separable', 'additive']).toContain(s.attention);
    }
  });

  it('bad spaces name the file, family, knob and value', () => {
    expect(errorOf(() => parseSpace({ mobilevitt: {} }, 'a.json')).message).toMatch(/unknown family 'mobilevitt'.*mobilevit, mobilevitv2/);
    expect(errorOf(() => parseSpace({}, 'a.json')).message).toMatch(/a.json: it names no family/);
    expect(errorOf(() => loadSpace(',')).message).toMatch(/search space ',' names no family: give family names \(mobilevit, /);
    expect(errorOf(() => parseSpace({ mobilevit: { widths: [1] } }, 'a.json')).message).toMatch(/a.json[\s\S]*Unrecognized key.*widths/);
    expect(errorOf(() => parseSpace({ mobilevit: { ffn: [100] } }, 'a.json')).message).toMatch(/a.json: mobilevit: ffn option 100: .*ffn='100'/);
    expect(errorOf(() => parseSpace({ mobilevit: { depth: [[1], [2]] } }, 'a.json')).message).toMatch(/depth lists 2 stages; mobilevit has 3/);
    expect(errorOf(() => parseSpace({ mobilenetv2: { ffn: [2] } }, 'a.json')).message).toMatch(/ffn does not apply to mobilenetv2/);
    expect(errorOf(() => parseSpace({ mobilevit: { ids: ['swiftformer_xs'] } }, 'a.json')).message).toMatch(/'swiftformer_xs' is not a mobilevit model/);
    expect(errorOf(() => sampleSpecs(parseSpace({ mobilevit: { patch: ['B'], resolution: [160] } }, 'a.json'), 1, 0)).message).toMatch(/no new buildable model/);
  });

  it('outsideSpace names each knob value the space never sampled', () => {
    const space = defaultSpace();
    expect(outsideSpace(parseSpec('mobilevit_xxs:depth=1x8x1,ffn=6'), space)).toEqual([
      'ffn=6 is outside the sampled range 1.5..4',
      'depth stage 2 = 8 is outside the sampled range 2..5',
    ]);
    expect(outsideSpace(parseSpec('mobilevit_s'), space)[0]).toMatch(/id mobilevit_s was not sampled/);
    expect(outsideSpace(parseSpec('mobilevitv2_200'), space)).toEqual(['width=2 is outside the sampled range 0.5..1']);
    expect(outsideSpace(parseSpec('mobilevitv2_075:resolution=512'), parseSpace({ mobilevitv2: {} }, 'f'))).toEqual(['resolution=512 is outside the sampled range 160..256']);
    expect(outsideSpace(parseSpec('swiftformer_xs'), parseSpace({ mobilevitv2: {} }, 'f'))[0]).toMatch(/family swiftformer is not in the space/);
  });
});
