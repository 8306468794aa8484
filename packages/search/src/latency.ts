/**
 * Measured latency for the search: the candidate's cell emitted, then measured in a fresh child process by the one
 * cell engine (measureCell), exactly as a sweep cell is: here (localMeasure, never two measurements at once), or
 * by a job queue's worker of the machine class (mvbench search --queue), which returns the machine it measured on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, measureCell, type CellOutcome } from '@mvbench/cell';
import { prepareModel } from '@mvbench/pipeline';
import type { Cell } from '@mvbench/plan';
import type { EnvironmentFingerprint } from '@mvbench/runner-core';
import type { LatencyFn } from './evaluate.ts';
import { searchCell } from './rows.ts';

export interface MeasureSettings {
  runner: string;
  threads: number;
  /** ms of timed runs per candidate (a sweep's measure.budgetMs) */
  budgetMs: number;
  timeoutS: number;
}

/** a measurement and, from a queue's worker, where it ran (a row's env and worker columns) */
interface Measured {
  outcome: CellOutcome;
  env?: EnvironmentFingerprint;
  worker?: { name: string; machineClass: string };
}
export type MeasureFn = (cell: Cell, settings: { budgetMs: number; timeoutS: number }) => Promise<Measured>;

/** measurements on this machine, and the disposal of their temporary folder */
export function localMeasure(seed: number): { measure: MeasureFn; dispose: () => void } {
  const work = makeTempDir('mvbench-sweep');
  let n = 0;
  const measure: MeasureFn = async (cell, { budgetMs, timeoutS }) => {
    const model = prepareModel(cell.spec, { seed });
    const onnxPath = join(work.dir, `${n++}.onnx`);
    writeFileSync(onnxPath, model.onnx);
    const { inputs, outputs, ops } = model.artifact;
    return { outcome: await measureCell({ cell, onnxPath, inputs, outputs, ops, measure: { budgetMs }, profileRuns: 0 }, { processes: 1, timeoutS }) };
  };
  return { measure, dispose: work.remove };
}

/** the candidate's latency on the search's runner setting */
export const cellLatency = (measure: MeasureFn, m: MeasureSettings): LatencyFn => async (spec) => {
  const { outcome, env, worker } = await measure(searchCell(spec.spec, m.runner, m.threads), { budgetMs: m.budgetMs, timeoutS: m.timeoutS });
  const where = env && worker ? { env, worker } : undefined;
  if (!outcome.ok) return { ms: Number.NaN, error: `${outcome.code}: ${outcome.message}`, outcome, where };
  return { ms: outcome.stats.median, lo: outcome.stats.ciLow, hi: outcome.stats.ciHigh, outcome, where };
};
