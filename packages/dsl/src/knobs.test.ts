/**
 * The structure knobs (depth, ffn, expand, dims): each changes only what it names (checked on the checkpoint
 * tensors that differ from the canonical model's), moves params/MACs the expected way, normalises away at the
 * variant's value, and rejects bad values and families it does not apply to with messages naming the knob.
 */
import { describe, expect, it } from 'vitest';
import { errorOf } from './testing.ts';
import { type Graph } from '@mvbench/ir';
import { buildModel, knobValues, modelInfo, parseSpec, withKnobs } from './index.ts';


const tensors = (g: Graph) => new Map([...g.initializers.values()].filter((i) => i.role !== 'const').map((i) => [i.name, i.dims.join('x')]));

/** names of the params/buffers that the knob added, removed or reshaped */
function changed(base: string, spec: string): string[] {
  const a = tensors(buildModel(base).graph), b = tensors(buildModel(spec).graph);
  return [...new Set([...a.keys(), ...b.keys()])].filter((n) => a.get(n) !== b.get(n));
}

/** spec vs base: params and MACs both lower (-1) or both higher (+1); stage output shapes unchanged */
function moves(base: string, spec: string): number {
  const a = modelInfo(buildModel(base)), b = modelInfo(buildModel(spec));
  expect(b.stages, spec).toEqual(a.stages);
  expect(Math.sign(b.params - a.params), `${spec} params`).toBe(Math.sign(b.macs - a.macs));
  return Math.sign(b.params - a.params);
}

describe('depth', () => {
  it('MobileViT v1/v2: transformer layers per MobileViT block, nothing else', () => {
    expect(parseSpec('mobilevit_xxs:depth=2x4x3').spec).toBe('mobilevit_xxs');
    expect(parseSpec('mobilevitv2_050:depth=2x4x3').spec).toBe('mobilevitv2_050');
    expect(moves('mobilevit_xxs', 'mobilevit_xxs:depth=1x2x1')).toBe(-1);
    expect(moves('mobilevitv2_050', 'mobilevitv2_050:depth=3x4x3')).toBe(1);
    const names = changed('mobilevit_xxs', 'mobilevit_xxs:depth=1x2x1');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !/^stages\.[234]\.1\.transformer\.\d+\./.test(n))).toEqual([]);
    expect(names.some((n) => n.startsWith('stages.3.1.transformer.2.'))).toBe(true);
    expect(names.some((n) => n.startsWith('stages.2.'))).toBe(true);
  });

  it('SwiftFormer: blocks per stage, the last still the SwiftFormerEncoder', () => {
    expect(parseSpec('swiftformer_xs:depth=3x3x6x4').spec).toBe('swiftformer_xs');
    expect(moves('swiftformer_xs', 'swiftformer_xs:depth=2x2x4x3')).toBe(-1);
    const g = buildModel('swiftformer_xs:depth=1x3x6x4').graph;
    expect(g.initializers.has('network.0.0.attn.to_query.weight')).toBe(true);
    expect(g.initializers.has('network.0.1.dwconv.weight')).toBe(false);
    expect(changed('swiftformer_xs', 'swiftformer_xs:depth=3x3x7x4').filter((n) => !/^network\.4\.\d+\./.test(n))).toEqual([]);
  });

  it('MobileNetV2: repeats per stage of its table (7 stages)', () => {
    expect(parseSpec('mobilenetv2_100:depth=1x2x3x4x3x3x1').spec).toBe('mobilenetv2_100');
    expect(moves('mobilenetv2_100', 'mobilenetv2_100:depth=1x1x2x2x2x2x1')).toBe(-1);
    expect(changed('mobilenetv2_100', 'mobilenetv2_100:depth=1x2x3x5x3x3x1')).toEqual(
      ['conv_pw', 'bn1', 'conv_dw', 'bn2', 'conv_pwl', 'bn3'].flatMap((m) =>
        m.startsWith('conv') ? [`blocks.3.4.${m}.weight`] : ['weight', 'bias', 'running_mean', 'running_var'].map((p) => `blocks.3.4.${m}.${p}`),
      ),
    );
  });

  it('bad values name the knob, the count and the range', () => {
    for (const bad of ['2x4', '2x4x3x1', '0x4x3', '2.5x4x3', '17x1x1', 'AxB', ''])
      expect(errorOf(() => parseSpec(`mobilevit_xxs:depth=${bad}`)).message, bad).toMatch(
        new RegExp(`depth='${bad.replace('.', '\\.')}' is not allowed; depth takes 3 integers from 1 to 16 joined by x .*like 2x4x3`),
      );
    expect(errorOf(() => parseSpec('swiftformer_xs:depth=3x3x6')).message).toMatch(/4 integers .* like 3x3x6x4/);
    expect(errorOf(() => parseSpec('mobilenetv2_100:depth=1x2x3')).message).toMatch(/7 integers .* like 1x2x3x4x3x3x1/);
  });
});

describe('ffn', () => {
  it('the MLP ratio of the transformer / SwiftFormerEncoder MLPs, nothing else', () => {
    expect(parseSpec('mobilevit_xxs:ffn=2.0').spec).toBe('mobilevit_xxs');
    expect(parseSpec('mobilevitv2_050:ffn=2').spec).toBe('mobilevitv2_050');
    expect(parseSpec('swiftformer_xs:ffn=4').spec).toBe('swiftformer_xs');
    expect(moves('mobilevit_xxs', 'mobilevit_xxs:ffn=3')).toBe(1);
    expect(moves('mobilevitv2_050', 'mobilevitv2_050:ffn=1')).toBe(-1);
    expect(moves('swiftformer_xs', 'swiftformer_xs:ffn=2')).toBe(-1);
    const mvit = changed('mobilevit_xxs', 'mobilevit_xxs:ffn=3');
    expect(mvit.filter((n) => !/\.transformer\.\d+\.mlp\.fc[12]\.(weight|bias)$/.test(n))).toEqual([]);
    expect(mvit).toContain('stages.2.1.transformer.0.mlp.fc1.weight');
    const sf = changed('swiftformer_xs', 'swiftformer_xs:ffn=2');
    expect(sf.filter((n) => !/^network\.\d+\.\d+\.linear\.fc[12]\./.test(n))).toEqual([]);
    expect(buildModel('mobilevit_xxs:ffn=3').graph.initializers.get('stages.2.1.transformer.0.mlp.fc1.weight')!.dims).toEqual([64, 192]);
  });

  it('bad values and families without transformer MLPs', () => {
    for (const bad of ['0', '0.4', '9', 'abc', '2x2', ''])
      expect(errorOf(() => parseSpec(`mobilevit_xxs:ffn=${bad}`)).message, bad).toMatch(/ffn='.*' is not allowed; ffn takes a number from 0.5 to 8 \(the MLP ratio; mobilevit's is 2\)/);
    const e = errorOf(() => parseSpec('mobilenetv2_100:ffn=2'));
    expect([e.code, e.message]).toEqual(['UNKNOWN_KNOB', expect.stringMatching(/knob 'ffn' does not apply to family mobilenetv2; it takes width, resolution, depth, expand/)]);
  });
});

describe('expand', () => {
  it('MobileViT v1/v2: every MV2 block; MobileNetV2: its t=6 blocks; SwiftFormer: its ConvEncoders', () => {
    expect(parseSpec('mobilevit_xxs:expand=2').spec).toBe('mobilevit_xxs');
    expect(parseSpec('mobilevit_xs:expand=4').spec).toBe('mobilevit_xs');
    expect(parseSpec('mobilenetv2_100:expand=6').spec).toBe('mobilenetv2_100');
    expect(parseSpec('swiftformer_l1:expand=4').spec).toBe('swiftformer_l1');
    expect(moves('mobilevit_xxs', 'mobilevit_xxs:expand=4')).toBe(1);
    expect(moves('mobilevitv2_050', 'mobilevitv2_050:expand=3')).toBe(1);
    expect(moves('mobilenetv2_100', 'mobilenetv2_100:expand=4')).toBe(-1);
    expect(moves('swiftformer_xs', 'swiftformer_xs:expand=3')).toBe(-1);
    const mvit = changed('mobilevit_xxs', 'mobilevit_xxs:expand=4');
    expect(mvit.filter((n) => !/^stages\.\d\.\d\.conv[123]_(1x1|kxk)\./.test(n))).toEqual([]);
    expect(mvit.some((n) => n.startsWith('stages.0.0.'))).toBe(true);
    expect(mvit.some((n) => n.startsWith('stages.4.0.'))).toBe(true);
    const mnv2 = changed('mobilenetv2_100', 'mobilenetv2_100:expand=4');
    expect(mnv2.filter((n) => !/^blocks\.[1-6]\.\d+\.(conv_pw|bn1|conv_dw|bn2|conv_pwl)\./.test(n))).toEqual([]);
    const sf = changed('swiftformer_xs', 'swiftformer_xs:expand=3');
    expect(sf.filter((n) => !/^network\.\d+\.\d+\.pwconv[12]\./.test(n))).toEqual([]);
    expect(sf).toContain('network.0.0.pwconv1.weight');
  });

  it('bad values name the knob and the range', () => {
    for (const bad of ['0.5', '9', '1e1', 'six'])
      expect(errorOf(() => parseSpec(`mobilenetv2_100:expand=${bad}`)).message, bad).toMatch(/expand='.*' is not allowed; expand takes a number from 1 to 8 \(the expansion ratio; mobilenetv2's is 6\)/);
  });
});

describe('dims', () => {
  it('MobileViT v1 transformer widths per block, nothing else', () => {
    expect(parseSpec('mobilevit_xxs:dims=64x80x96').spec).toBe('mobilevit_xxs');
    expect(moves('mobilevit_xxs', 'mobilevit_xxs:dims=96x120x144')).toBe(1);
    expect(moves('mobilevit_s', 'mobilevit_s:dims=96x160x200')).toBe(-1);
    const names = changed('mobilevit_xxs', 'mobilevit_xxs:dims=64x96x96');
    expect(names.filter((n) => !/^stages\.3\.1\.(conv_1x1|transformer|norm|conv_proj\.conv)\./.test(n))).toEqual([]);
    expect(names).toContain('stages.3.1.transformer.0.attn.qkv.weight');
    // the MLP keeps its ratio: hidden = 2 x the new width
    expect(buildModel('mobilevit_xxs:dims=64x96x96').graph.initializers.get('stages.3.1.transformer.0.mlp.fc1.weight')!.dims).toEqual([96, 192]);
  });

  it('the default follows the width: a width-scaled value normalises away', () => {
    expect(parseSpec('mobilevit_xxs:width=1.5,dims=96x120x144').spec).toBe('mobilevit_xxs:width=1.5');
    expect(parseSpec('mobilevit_xxs:width=1.5,dims=64x80x96').spec).toBe('mobilevit_xxs:width=1.5,dims=64x80x96');
    expect(withKnobs(parseSpec('mobilevit_xxs:dims=96x120x144'), { width: 1.5 }).spec).toBe('mobilevit_xxs:width=1.5');
  });

  it('bad values and families whose paper does not vary them', () => {
    for (const bad of ['64x80', '64x80x90', '8x80x96', '64x80x2048', '64.0x80x9.6'])
      expect(errorOf(() => parseSpec(`mobilevit_xxs:dims=${bad}`)).message, bad).toMatch(/dims='.*' is not allowed; dims takes 3 multiples of 4 from 16 to 1024 joined by x .*like 64x80x96/);
    for (const spec of ['mobilevitv2_050:dims=64x96x128', 'swiftformer_xs:dims=48x56x112', 'mobilenetv2_100:dims=1x2x3'])
      expect(errorOf(() => parseSpec(spec)).message, spec).toMatch(/knob 'dims' does not apply to family/);
  });
});

describe('structure knobs as values', () => {
  it('withKnobs sets and resets them; knobValues reports them as built', () => {
    const s = withKnobs(parseSpec('mobilevit_xxs'), { depth: [1, 2, 1], ffn: 3 });
    expect(s.spec).toBe('mobilevit_xxs:depth=1x2x1,ffn=3');
    expect(withKnobs(s, { depth: '2x4x3', ffn: 2 }).spec).toBe('mobilevit_xxs');
    expect(errorOf(() => withKnobs(parseSpec('mobilenetv2_100'), { ffn: 2 })).message).toMatch(/does not apply to family mobilenetv2/);
    expect(errorOf(() => withKnobs(s, { expand: 0 })).message).toMatch(/expand='0'/);
    expect(knobValues(parseSpec('mobilevit_xxs'))).toEqual({
      width: 1, patch: 'A', attention: 'mhsa', resolution: 256, depth: '2x4x3', ffn: 2, expand: 2, dims: '64x80x96',
    });
    expect(knobValues(parseSpec('mobilenetv2_140:depth=1x1x1x1x1x1x1'))).toMatchObject({ depth: '1x1x1x1x1x1x1', ffn: null, expand: 6, dims: null });
    expect(knobValues(parseSpec('swiftformer_s'))).toMatchObject({ depth: '3x3x9x6', ffn: 4, expand: 4, dims: null });
  });

  it('knob order in the spec string is fixed; an alpha id still absorbs its width', () => {
    expect(parseSpec('mobilevitv2_050:expand=3,width=0.75,depth=1x1x1').spec).toBe('mobilevitv2_075:depth=1x1x1,expand=3');
    expect(parseSpec('mobilevit_xxs:dims=64x80x100,ffn=1.5,depth=1x1x1,patch=B').spec).toBe('mobilevit_xxs:patch=B,depth=1x1x1,ffn=1.5,dims=64x80x100');
  });
});
