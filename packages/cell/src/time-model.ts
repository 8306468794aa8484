/**
 * One model timed outside a sweep (`mvbench run model --min-runs 50`, like onnxruntime_perf_test -r): the cell
 * engine's own measurement (child processes, warm-up, CI target, pooling), for a spec or any .onnx file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelArtifact } from '@mvbench/runner-core';
import type { CellJob, CellOutcome } from './job.ts';
import { measureCell } from './measure-cell.ts';
import { releaseShared } from './shared.ts';
import { makeTempDir } from './temp-dirs.ts';

export interface TimeModelOptions {
  runner: string;
  threads: number;
  measure: CellJob['measure'];
  processes: number;
  timeoutS: number;
}

export async function timeModel(model: ModelArtifact, o: TimeModelOptions): Promise<CellOutcome> {
  const work = makeTempDir('mvbench-sweep');
  try {
    const onnxPath = join(work.dir, 'model.onnx');
    writeFileSync(onnxPath, model.onnx);
    const { inputs, outputs, ops } = model;
    const cell = { spec: model.id, runner: o.runner, threads: o.threads, graphOptimization: 'all' };
    return await measureCell({ cell, onnxPath, inputs, outputs, ops, measure: o.measure, profileRuns: 0 }, { processes: o.processes, timeoutS: o.timeoutS });
  } finally {
    work.remove();
    await releaseShared();
  }
}
