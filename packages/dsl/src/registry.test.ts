import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel, canonicalIds, FAMILIES, knobsOf, modelInfo, parseSpec, STRUCTURE_KNOBS, type AnyFamily } from './index.ts';
import { referenceFile } from '@mvbench/fixtures';

const published = JSON.parse(readFileSync(referenceFile('published.json'), 'utf8')).models as Record<string, { params_m: number; top1: number }>;

describe('registry: every canonical model', () => {
  it('covers every model of published.json and nothing published is missing', () => {
    expect(Object.keys(published).sort()).toEqual(canonicalIds().sort());
  });

  for (const id of canonicalIds())
    it(`${id}: builds, outputs [1, 1000], parameters round to the published figure`, () => {
      const info = modelInfo(buildModel(id));
      expect(info.output).toEqual([1, 1000]);
      expect(Math.round(info.params / 1e5) / 10).toBe(published[id].params_m);
      expect(info.paramsWithoutClassifier).toBeLessThan(info.params);
      expect(parseSpec(id).family.published[id].top1).toBe(published[id].top1);
    });

  it('mobilevit_xxs has 407,364,096 MACs and the parity models match their fixtures exactly', () => {
    expect(modelInfo(buildModel('mobilevit_xxs')).macs).toBe(407_364_096);
    for (const id of ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs']) {
      const fixture = JSON.parse(readFileSync(referenceFile(`parity/${id}.json`), 'utf8'));
      const info = modelInfo(buildModel(id));
      expect([info.params, info.macs]).toEqual([fixture.params, fixture.macs]);
    }
    expect(modelInfo(buildModel('mobilenetv2_100')).macs).toBe(300_774_272);
  });
});

/** per family, one value of each structure knob it takes that differs from its first variant's: a smaller model */
function offDefault(f: AnyFamily): [knob: string, value: string][] {
  const row = Object.values(f.variants)[0];
  const change = { depth: (d: number) => Math.max(1, d - 1), ffn: (r: number) => r - 1, expand: (e: number) => e - 1, dims: (d: number) => d - 16 };
  return STRUCTURE_KNOBS.filter((k) => knobsOf(f).includes(k)).map((k) => {
    const v = f.structure[k]!.of(row) as number | number[];
    return [k, typeof v === 'number' ? String(change[k](v)) : v.map(change[k]).join('x')];
  });
}

describe('registry: every structure knob of every family, at a value off the default', () => {
  it('every family takes depth and expand; ffn where it has MLPs; dims in MobileViT v1 only', () => {
    expect(Object.fromEntries(FAMILIES.map((f) => [f.name, offDefault(f).map(([k]) => k).join(',')]))).toEqual({
      mobilevit: 'depth,ffn,expand,dims', mobilevitv2: 'depth,ffn,expand', swiftformer: 'depth,ffn,expand', mobilenetv2: 'depth,expand',
    });
  });

  for (const f of FAMILIES)
    for (const [knob, value] of offDefault(f)) {
      const id = Object.keys(f.variants)[0];
      it(`${id}:${knob}=${value}: builds, is not canonical, reports the value and round-trips`, () => {
        const spec = parseSpec(`${id}:${knob}=${value}`);
        expect([spec.spec, spec.canonical]).toEqual([`${id}:${knob}=${value}`, false]);
        const info = modelInfo(buildModel(spec));
        expect(info.output).toEqual([1, 1000]);
        expect(String(info.knobs[knob as keyof typeof info.knobs])).toBe(value);
        expect(info.params).toBeLessThan(modelInfo(buildModel(id)).params);
        expect(parseSpec(info.spec).spec).toBe(info.spec);
      });
    }
});
