/**
 * Zero-cost scores (`mvbench score`): one of the training-free proxies of packages/train on the model at
 * initialisation, rebuilt at a small resolution with a head for the batch's classes. A ranking signal, not an
 * accuracy: results carry it as kind 'zero-cost' with the proxy's name, and reports plot it on its own axis.
 */
import { batches, openDataset, preprocessingFor } from '@mvbench/data';
import { buildModel, parseSpec } from '@mvbench/dsl';
import { gradNorm, naswot, snip, synflow, type Device } from '@mvbench/train';
import type { ZERO_COST_PROXIES } from '@mvbench/plan';
import { atResolution } from './proxy.ts';

export type ZeroCostProxy = (typeof ZERO_COST_PROXIES)[number];

const SCORES = { synflow, grad_norm: gradNorm, snip, naswot } as const satisfies Record<ZeroCostProxy, unknown>;

export interface ScoreOptions {
  spec: string;
  proxy: ZeroCostProxy;
  resolution: number;
  batch: number;
  seed: number;
  /** where the batch comes from (synflow reads none): 'synthetic' or a dataset directory */
  data?: string;
  /** tfjs backend: 'wasm' (default) or 'node' (TensorFlow's C library, after `pnpm setup:tfjs-node`) */
  device?: Device;
}

export interface ScoreResult {
  spec: string;
  scored: string;
  proxy: ZeroCostProxy;
  /** null when the score is not a finite float32 number (synflow overflows on deep all-positive chains) */
  score: number | null;
  error?: string;
  resolution: number;
  batch: number;
  seed: number;
  dataset: string | null;
  seconds: number;
}

export async function zeroCost(o: ScoreOptions): Promise<ScoreResult> {
  const t0 = performance.now();
  const spec = parseSpec(o.spec);
  const scored = atResolution(spec, o.resolution);
  const dataset = await openDataset(o.data ?? 'synthetic', { split: 'train', synthetic: { seed: o.seed, size: Math.max(o.batch, 16) } });
  const prep = { ...preprocessingFor(spec.family.name, o.resolution), resize: o.resolution, crop: o.resolution };
  const order = Array.from({ length: o.batch }, (_, i) => Math.floor((i * dataset.size) / o.batch));
  const first = o.proxy === 'synflow' ? undefined : (await batches(dataset, prep, o.batch, { order }).next()).value;
  if (first && first.labels.length < o.batch) throw new Error(`${dataset.description}: fewer than ${o.batch} readable images for one batch`);
  const graph = buildModel(scored, { batch: o.batch, classes: dataset.classes.length, seed: o.seed }).graph;
  const score = await SCORES[o.proxy](graph, first!, { seed: o.seed, device: o.device });
  const finite = Number.isFinite(score);
  return {
    spec: spec.spec, scored: scored.spec, proxy: o.proxy, score: finite ? score : null,
    ...(!finite && { error: `${o.proxy} is ${score} in float32 (TensorFlow.js has no float64; the reference computes in double)` }),
    resolution: o.resolution, batch: o.batch, seed: o.seed,
    dataset: first ? dataset.description : null, seconds: (performance.now() - t0) / 1000,
  };
}
