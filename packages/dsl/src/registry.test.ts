import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel, canonicalIds, modelInfo, parseSpec } from './index.ts';
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
