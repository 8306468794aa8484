/** For tests: a predictor file's data fitted on a made-up machine, so that nothing needs measuring. */
import { defaultSpace, spaceToFile } from '@mvbench/space';
import { FEATURES } from './features.ts';
import { fitModel, packForest, type Sample } from './fit.ts';
import type { Predictor } from './store.ts';

export function testPredictor(samples: readonly Sample[], machine: Predictor['machine'], runtime: Record<string, string> = {}): Predictor {
  const model = fitModel(samples);
  return {
    schema: 'mvbench.predictor/1',
    runner: 'ort-node:cpu',
    threads: 1,
    graphOptimization: 'all',
    builtAt: '2026-12-02T00:00:00.000Z',
    commit: 'test',
    machine,
    runtime,
    calibration: null,
    space: spaceToFile(defaultSpace()),
    seed: 0,
    measurements: 'none.jsonl',
    excluded: { failed: 0, contended: 0, outside: 0 },
    contendedIncluded: 0,
    model: { kind: 'linear-kernel-classes+forest', features: [...FEATURES], scale: model.linear.scale, coef: model.linear.coef, forest: packForest(model.forest) },
    crossValidation: { specs: samples.length, folds: 5, within5: 1, within10: 1, rmspe: 0.01, kendallTau: 1, interval: [-0.05, 0.04] },
  };
}
