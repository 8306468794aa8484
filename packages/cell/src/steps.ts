/**
 * The steps every child process of the engine shares (cell, A/B, calibration and accuracy workers): one job in
 * over IPC, one outcome out; the runner created from the catalogue with the job's context and always disposed; a
 * failure is an outcome with a code, never an exception.
 */
import { readFileSync } from 'node:fs';
import { MvbenchError, type ErrorCode } from '@mvbench/core';
import { fromOnnx } from '@mvbench/onnx';
import { artifactOf } from '@mvbench/pipeline';
import { fixtureInput, type Feeds, type ModelArtifact, type Runner, type RunnerContext, type RunSettings, type TensorSpec } from '@mvbench/runner-core';
import { RUNNERS } from './runners.ts';

export type Failure = { ok: false; code: ErrorCode; message: string; versions?: Record<string, string> };

/** an exception as an outcome: its MvbenchError code, else `code` */
export const failure = (e: unknown, code: ErrorCode = 'RUNNER_FAILED'): Failure => ({
  ok: false,
  code: e instanceof MvbenchError ? e.code : code,
  message: e instanceof Error ? e.message : String(e),
});

/** creates runner `id`, runs `steps` with it and disposes everything it holds; an exception becomes a Failure */
export async function withRunner<O>(id: string, context: RunnerContext, steps: (runner: Runner) => Promise<O>): Promise<O | Failure> {
  const runner = await RUNNERS.create(id, context);
  try {
    return await steps(runner);
  } catch (e) {
    return { ...failure(e), versions: runner.versions };
  } finally {
    await runner.dispose();
  }
}

/** the settings of a cell: its thread count and graph optimisation level */
export const settingsOf = (s: { threads: number; graphOptimization: string }): RunSettings => ({
  threads: s.threads,
  graphOptimization: s.graphOptimization as RunSettings['graphOptimization'],
});

/** the seeded fixture input for every declared input */
export const feedsFor = (inputs: readonly TensorSpec[]): Feeds => Object.fromEntries(inputs.map((i) => [i.name, fixtureInput(i.shape)]));

/** an .onnx file the parent wrote, its inputs and outputs read from the file */
export function readArtifact(id: string, path: string): ModelArtifact {
  const onnx = new Uint8Array(readFileSync(path));
  return artifactOf(id, fromOnnx(onnx, { name: id }), onnx);
}

/** the child-process side of runInChild: handles one job and exits once its outcome is sent */
/** a child's progress line for its parent (ChildOptions.onProgress), at most one a second */
let lastProgress = 0;
export function reportProgress(text: string): void {
  if (Date.now() - lastProgress < 1000) return;
  lastProgress = Date.now();
  process.send?.({ progress: text });
}

export function serveOneJob<J, O>(handle: (job: J) => Promise<O>): void {
  // the parent was killed: nobody wants this outcome any more, and the process must not disturb the next measurement
  process.on('disconnect', () => process.exit(1));
  process.once('message', async (job: J) => {
    const outcome = await handle(job);
    process.send!(outcome, undefined, {}, () => process.exit(0));
  });
}
