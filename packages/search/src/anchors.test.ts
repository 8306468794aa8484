import { parseSpace } from '@mvbench/space';
import { describe, expect, it } from 'vitest';
import { buildModel, modelInfo, type ModelSpec } from '@mvbench/dsl';
import type { Accuracy } from '@mvbench/results';
import { anchorCandidates, evaluateAnchors, improvements } from './anchors.ts';
import { createEvaluator, type EvaluationRecord } from './evaluate.ts';
import type { Evaluated } from './search.ts';

const space = parseSpace({ mobilevitv2: {}, swiftformer: {} }, 'test');
const at = (spec: string, ms: number, top1: number, o: Partial<Evaluated> = {}): Evaluated => ({
  candidate: { choice: anchorCandidates(space, ['mobilevitv2_050'])[0].choice, spec, generation: 0 }, objectives: [ms, 100 - top1], violation: 0, complete: true, measured: true, ...o,
});

describe('anchors', () => {
  it('default to the ids each family space starts from', () => {
    expect(anchorCandidates(space).map((c) => c.spec)).toEqual(['mobilevitv2_050', 'swiftformer_xs', 'swiftformer_s']);
    expect(anchorCandidates(space, ['mobilevitv2_100'])[0]).toMatchObject({ spec: 'mobilevitv2_100', generation: -1, choice: { id: 'mobilevitv2_100', knobs: {} } });
  });

  it('a found model beats an anchor only when faster at equal or better top-1, both measured, and not canonical itself', () => {
    const anchor = at('mobilevitv2_050', 10, 40);
    const faster = at('mobilevitv2_050:width=0.625', 8, 40);
    const lessAccurate = at('mobilevitv2_050:expand=3', 7, 39.5);
    const predictedOnly = at('mobilevitv2_050:ffn=1.5', 6, 45, { measured: false });
    const canonical = at('swiftformer_xs', 5, 60);
    const found = improvements([faster, lessAccurate, predictedOnly, canonical], [anchor, at('swiftformer_s', 1, 10, { violation: 1 })], ['latency', 'accuracy']);
    expect(found.map((i) => [i.found.candidate.spec, i.anchor.candidate.spec])).toEqual([['mobilevitv2_050:width=0.625', 'mobilevitv2_050']]);
    expect(improvements([faster], [anchor], ['params', 'accuracy'])).toEqual([]);
  });

  it('are trained at the last fidelity only (no halving) and, when latency is predicted, each one measured', async () => {
    // real model facts stand in for the expensive parts: latency from MACs, "measured" 10% above, top-1 from params
    const info = (spec: ModelSpec) => modelInfo(buildModel(spec));
    const top1 = (spec: ModelSpec, level: number): Promise<Accuracy> =>
      Promise.resolve({ kind: 'proxy', value: 10 + level + info(spec).params / 1e6, metric: 'top1', dataset: 'synthetic', source: null, seed: 0 });
    const run = async (anchors: boolean, reductionFactor?: number) => {
      const records: EvaluationRecord[] = [];
      const evaluate = createEvaluator({
        objectives: ['latency', 'accuracy'], constraints: {}, latency: async (s) => ({ ms: info(s).macs / 1e7 }), confirm: async (s) => ({ ms: (1.1 * info(s).macs) / 1e7 }),
        accuracy: top1, levels: 3, workers: 2, timeLeft: () => true, record: (r) => records.push(r), anchors, reductionFactor,
      });
      const out = await evaluateAnchors(anchorCandidates(space), evaluate);
      return { out, records };
    };
    const anchored = await run(true);
    const trainedAt = (records: EvaluationRecord[]) => [0, 1, 2].map((l) => records.filter((r) => r.level === l && r.predictedMs === undefined).length);
    expect(trainedAt(anchored.records)).toEqual([0, 0, 3]);
    expect(anchored.records.filter((r) => r.predictedMs !== undefined).map((r) => r.candidate.spec).sort()).toEqual(['mobilevitv2_050', 'swiftformer_s', 'swiftformer_xs']);
    expect(anchored.out.every((e) => e.measured && e.complete)).toBe(true);
    // the same candidates as a search generation: halved at each level, only its front measured
    const searched = await run(false);
    expect(trainedAt(searched.records)).toEqual([3, 2, 1]);
    // a reduction factor of 3 trains the best third of a rung at the next fidelity
    expect(trainedAt((await run(false, 3)).records)).toEqual([3, 1, 1]);
  });
});
