import { describe, expect, it } from 'vitest';
import { errorOf } from './testing.ts';
import { buildModel, canonicalIds, modelInfo, parseSpec, withKnobs, FAMILIES } from './index.ts';


describe('model specs', () => {
  it('normalises specs: knobs equal to the defaults disappear, the rest are ordered', () => {
    expect(parseSpec('mobilevit_xxs:patch=A').spec).toBe('mobilevit_xxs');
    expect(parseSpec('mobilevitv2_075:width=0.75').spec).toBe('mobilevitv2_075');
    expect(parseSpec('mobilevitv2_050:width=1.5').spec).toBe('mobilevitv2_150');
    expect(parseSpec('mobilevitv2_050:width=0.6').spec).toBe('mobilevitv2_050:width=0.6');
    expect(parseSpec('mobilevit_xxs:width=1.5').spec).toBe('mobilevit_xxs:width=1.5');
    expect(parseSpec('mobilevit_xxs:resolution=320,patch=8x4x2').spec).toBe('mobilevit_xxs:patch=B,resolution=320');
    expect(parseSpec('MOBILEVITV2_050 : attention=additive').spec).toBe('mobilevitv2_050:attention=additive');
    expect(parseSpec('mobilevit_xxs:patch=4x4x2').patch).toEqual([4, 4, 2]);
    expect(parseSpec('swiftformer_xs').canonical).toBe(true);
  });

  it('an empty knob list and numbers Number() would bend are errors, not defaults', () => {
    for (const bad of ['mobilevit_xxs:', 'mobilevit_xxs: ,'] as const) expect(errorOf(() => parseSpec(bad)).code).toBe('BAD_SPEC');
    for (const bad of ['mobilevit_xxs:width=0x1', 'mobilevit_xxs:width=', 'mobilevit_xxs:resolution=2.56e2.5', 'mobilevit_xxs:patch=0x8x2x2'])
      expect(errorOf(() => parseSpec(bad)).code, bad).toBe('BAD_KNOB_VALUE');
    expect(errorOf(() => parseSpec('mobilevit_xxs:patch=8x4x2.5')).message).toMatch(/patch='8x4x2.5'/);
  });

  it('withKnobs changes knobs as values, checked and normalised like a spec string', () => {
    const s = parseSpec('mobilevit_xxs:patch=B,resolution=320');
    expect(withKnobs(s, { resolution: 64 }).spec).toBe('mobilevit_xxs:patch=B,resolution=64');
    expect(withKnobs(s, { patch: 'A', resolution: 256 }).spec).toBe('mobilevit_xxs');
    expect(withKnobs(s, { patch: [8, 4, 2] }).canonical).toBe(false);
    expect(withKnobs(parseSpec('mobilevitv2_050'), { width: 0.75 }).spec).toBe('mobilevitv2_075');
    expect(errorOf(() => withKnobs(s, { resolution: 0 })).message).toMatch(/resolution='0'/);
    expect(errorOf(() => withKnobs(parseSpec('mobilenetv2_100'), { patch: 'B' })).message).toMatch(/does not apply to family mobilenetv2/);
  });

  it('unknown ids list the nearest ids', () => {
    const e = errorOf(() => parseSpec('mobilevit_xxx'));
    expect(e.code).toBe('UNKNOWN_MODEL');
    expect(e.message).toContain('mobilevit_xxs');
    expect(e.user).toBe(true);
  });

  it('unknown knobs and bad values name the knob and what is allowed', () => {
    expect(errorOf(() => parseSpec('mobilevit_xxs:depths=3')).message).toMatch(
      /unknown knob 'depths'; this family takes width, patch, attention, resolution, depth, ffn, expand, dims \(did you mean 'depth'\?\)/,
    );
    const w = errorOf(() => parseSpec('mobilevit_xxs:width=9'));
    expect([w.code, w.message]).toEqual(['BAD_KNOB_VALUE', expect.stringMatching(/width='9'.*0.25 to 4/)]);
    expect(errorOf(() => parseSpec('mobilevit_xxs:attention=linear')).message).toMatch(/mhsa, separable, additive, none/);
    expect(errorOf(() => parseSpec('mobilevit_xxs:patch=3x3')).message).toMatch(/patch='3x3'.*A \(2,2,2\), B \(8,4,2\)/);
    expect(errorOf(() => parseSpec('swiftformer_xs:patch=B')).message).toMatch(/'patch' does not apply to family swiftformer/);
    expect(errorOf(() => parseSpec('mobilenetv2_100:attention=mhsa')).code).toBe('UNKNOWN_KNOB');
    expect(errorOf(() => parseSpec('mobilevit_xxs:resolution=abc')).code).toBe('BAD_KNOB_VALUE');
    expect(errorOf(() => parseSpec('mobilevit_xxs:width=1,width=2')).code).toBe('BAD_SPEC');
    expect(errorOf(() => parseSpec('mobilevit_xxs:width')).code).toBe('BAD_SPEC');
  });

  it('a patch that does not tile the feature map names the block, the map and the patch', () => {
    const e = errorOf(() => buildModel('mobilevit_xxs:resolution=224'));
    expect(e.code).toBe('PATCH_DOES_NOT_DIVIDE');
    expect(e.message).toContain("block 'stages.4.1' has a 7x7 feature map");
    expect(e.message).toContain('patch 2x2');
    expect(errorOf(() => buildModel('mobilevitv2_050:patch=B,resolution=224')).message).toContain("'stages.2.1' has a 28x28");
    expect(buildModel('mobilevitv2_050:patch=B,resolution=192').graph.outputs[0].shape).toEqual([1, 1000]);
  });

  it('Config-B has the same parameters as Config-A and fewer MACs (quadratic attention only)', () => {
    for (const id of ['mobilevit_xxs', 'mobilevit_xs', 'mobilevit_s']) {
      const a = modelInfo(buildModel(id)), b = modelInfo(buildModel(`${id}:patch=B`));
      expect(b.params).toBe(a.params);
      expect(b.macs).toBeLessThan(a.macs);
    }
    // separable attention is linear in tokens and its token products are element-wise: MACs do not move
    const a = modelInfo(buildModel('mobilevitv2_050')), b = modelInfo(buildModel('mobilevitv2_050:patch=B'));
    expect([b.params, b.macs]).toEqual([a.params, a.macs]);
  });

  it('each knob changes only what it names', () => {
    const base = modelInfo(buildModel('mobilevitv2_050'));
    const res = modelInfo(buildModel('mobilevitv2_050:resolution=320'));
    expect(res.params).toBe(base.params);
    expect(res.input).toEqual([1, 3, 320, 320]);
    const wide = modelInfo(buildModel('mobilevitv2_050:width=0.75'));
    expect(wide.params).toBe(modelInfo(buildModel('mobilevitv2_075')).params);
    const add = modelInfo(buildModel('mobilevitv2_050:attention=additive'));
    expect(add.stages).toEqual(base.stages);
    expect(add.ops.ReduceL2).toBeGreaterThan(0);
  });

  it('every family offers its canonical attention first and every id is listed once', () => {
    const ids = canonicalIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of FAMILIES) for (const id of Object.keys(f.variants)) expect(parseSpec(id).attention).toBe(f.attention[0]);
  });
});
