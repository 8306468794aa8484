/** Predictions for a sweep's cells (sweep --predict): the stored predictor of each cell's runner and thread count. */
import type { ModelSpec } from '@mvbench/dsl';
import type { PredictedLatency } from '@mvbench/results';
import { predict } from './predict.ts';
import { loadPredictorFor, predictorName, type LoadedPredictor } from './store.ts';

/**
 * A function giving each cell its predicted latency, or undefined where `dir` holds no predictor for its setting
 * (said once per setting through `warn`). Predictors fit graphs optimised at level 'all' only.
 */
export function cellPredictions(dir: string, warn: (line: string) => void): (spec: ModelSpec, cell: { runner: string; threads: number; graphOptimization: string }) => PredictedLatency | undefined {
  const loaded = new Map<string, LoadedPredictor | undefined>();
  return (spec, cell) => {
    const name = predictorName(cell.runner, cell.threads);
    if (!loaded.has(name)) {
      loaded.set(name, loadPredictorFor(dir, cell.runner, cell.threads));
      if (!loaded.get(name)) warn(`--predict: no predictor for ${cell.runner} with ${cell.threads} thread(s) in ${dir}; its cells get none`);
    }
    const p = loaded.get(name);
    if (!p || cell.graphOptimization !== p.graphOptimization) return undefined;
    const x = predict(p, spec);
    return { ms: x.ms, lo: x.lo, hi: x.hi, predictor: name, outside: x.outside };
  };
}
