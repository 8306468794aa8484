/**
 * Measured latency for the search: the candidate emitted once, then measured in a fresh child process by the one
 * cell engine (measureCell), exactly as a sweep cell is. Never two measurements at once (the evaluator asks one
 * at a time).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, measureCell } from '@mvbench/cell';
import { prepareModel } from '@mvbench/pipeline';
import type { LatencyFn } from './evaluate.ts';

export interface MeasureSettings {
  runner: string;
  threads: number;
  /** ms of timed runs per candidate (a sweep's measure.budgetMs) */
  budgetMs: number;
  timeoutS: number;
  seed: number;
}

/** a latency function and the disposal of its temporary folder */
export function measuredLatency(m: MeasureSettings): { latency: LatencyFn; dispose: () => void } {
  const work = makeTempDir('mvbench-sweep');
  let n = 0;
  const latency: LatencyFn = async (spec) => {
    const model = prepareModel(spec.spec, { seed: m.seed });
    const onnxPath = join(work.dir, `${n++}.onnx`);
    writeFileSync(onnxPath, model.onnx);
    const cell = { spec: spec.spec, runner: m.runner, threads: m.threads, graphOptimization: 'all' };
    const { inputs, outputs, ops } = model.artifact;
    const outcome = await measureCell({ cell, onnxPath, inputs, outputs, ops, measure: { budgetMs: m.budgetMs }, profileRuns: 0 }, { processes: 1, timeoutS: m.timeoutS });
    if (!outcome.ok) return { ms: Number.NaN, error: `${outcome.code}: ${outcome.message}`, outcome };
    return { ms: outcome.stats.median, lo: outcome.stats.ciLow, hi: outcome.stats.ciHigh, outcome };
  };
  return { latency, dispose: work.remove };
}
