/**
 * A sweep cell's accuracy, by the kind the plan asks for. It depends on the model only, so it is computed once per
 * spec (in a child process of its own, with a timeout, never while a latency is measured) and shared by the spec's
 * cells. A kind that has no value for a spec (no checkpoint, a training that failed) is an accuracy with
 * `value: null` and an `error`, never a failed sweep.
 */
import type { ErrorCode } from '@mvbench/core';
import type { ModelSpec } from '@mvbench/dsl';
import type { AccuracyPlan } from '@mvbench/plan';
import type { Accuracy } from '@mvbench/results';
import type { RunnerContext } from '@mvbench/runner-core';
import { contextFor, runInChild } from '@mvbench/cell';

export interface AccuracyJob {
  spec: string;
  /** handles of shared resources for an evaluation's runner */
  context: RunnerContext;
  request: Exclude<AccuracyPlan, { kind: 'none' | 'published' }>;
}
export type AccuracyOutcome = { ok: true; accuracy: Accuracy } | { ok: false; code: ErrorCode; message: string };

const NONE: Accuracy = { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };

function publishedAccuracy(spec: ModelSpec): Accuracy {
  const published = spec.canonical ? spec.family.published[spec.id] : undefined;
  return published ? { kind: 'published', value: published.top1, metric: 'top1', dataset: 'ImageNet-1k val', source: published.source, seed: null } : NONE;
}

/** `onProgress`: what the child is doing, e.g. 'proxy training: step 120/300 (40%), loss 1.234' */
export async function accuracyFor(spec: ModelSpec, request: AccuracyPlan, onProgress?: (text: string) => void): Promise<Accuracy> {
  if (request.kind === 'none') return NONE;
  if (request.kind === 'published') return publishedAccuracy(spec);
  // an evaluation on a browser runner connects to the sweep's shared Chromium, like a cell
  const context = request.kind === 'evaluated' ? await contextFor(request.runner).catch(() => ({})) : {};
  const outcome = await runInChild<AccuracyJob, AccuracyOutcome>(new URL('./worker.ts', import.meta.url), { spec: spec.spec, request, context }, request.timeoutS, { onProgress });
  if (outcome.ok) return outcome.accuracy;
  const seed = 'seed' in request ? request.seed : null;
  return { kind: request.kind, value: null, metric: null, dataset: null, source: null, seed, error: `${outcome.code}: ${outcome.message}` };
}
