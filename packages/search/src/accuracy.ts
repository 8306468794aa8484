/**
 * Proxy accuracy at a fidelity: `mvbench train`'s proxy training (packages/accuracy, a child process of its own
 * per training, so `workers` of them use both cores; or the same request as a job on a queue's worker). Every
 * fidelity tests on the same held-out images, so their top-1 values are comparable; higher fidelities train on more
 * images for more epochs.
 */
import { createHash } from 'node:crypto';
import { accuracyFor } from '@mvbench/accuracy';
import type { ModelSpec } from '@mvbench/dsl';
import type { Accuracy, ResultRow } from '@mvbench/results';
import type { AccuracyPlan, DEVICES, ZERO_COST_PROXIES } from '@mvbench/plan';
import type { AccuracyFn } from './evaluate.ts';

export type ZeroCostProxy = (typeof ZERO_COST_PROXIES)[number];

export interface Fidelity {
  resolution: number;
  epochs: number;
  trainImages: number;
  /** images per step: small batches give the short rungs enough optimizer steps to learn anything */
  batch: number;
}

export interface ProxySettings {
  /** 'synthetic' or a dataset directory */
  data: string;
  fidelities: readonly Fidelity[];
  testImages: number;
  seed: number;
  timeoutS: number;
  /** TensorFlow.js backend of every training: wasm (when absent) or node (TensorFlow's C library, faster) */
  device?: (typeof DEVICES)[number];
}

/**
 * successive halving's rungs: 64 and 128 optimizer steps, then the full proxy training (250 steps) that
 * benchmarks/search/fidelity-rank.ts ranks them against. Fewer steps learn nothing on the 10-class synthetic task: at
 * 32 steps every model's training loss is still near ln 10 and held-out top-1 is noise around chance.
 */
export const DEFAULT_FIDELITIES: readonly Fidelity[] = [
  { resolution: 64, epochs: 1, trainImages: 1024, batch: 16 },
  { resolution: 64, epochs: 2, trainImages: 1024, batch: 16 },
  { resolution: 64, epochs: 2, trainImages: 2000, batch: 16 },
];

/** trains (or scores) a spec by a request: here (accuracyFor, a child process per request) or on a queue's worker */
export type TrainFn = (spec: ModelSpec, request: AccuracyPlan) => Promise<Accuracy>;

export const proxyAccuracy = (p: ProxySettings, train: TrainFn = accuracyFor): AccuracyFn => (spec, level) => {
  const f = p.fidelities[level];
  // wasm, the default, stays absent: the request names a queue's training job, which a resumed search must find again
  const device = p.device === 'node' ? { device: p.device } : {};
  return train(spec, { kind: 'proxy', data: p.data, resolution: f.resolution, epochs: f.epochs, batch: f.batch, trainImages: f.trainImages, testImages: p.testImages, seed: p.seed, timeoutS: p.timeoutS, ...device });
};

/** a zero-cost score at the cheapest fidelity's resolution (mvbench score; its own process), higher is better */
export const zeroCostScore = (proxy: ZeroCostProxy, p: ProxySettings, train: TrainFn = accuracyFor) => (spec: ModelSpec): Promise<Accuracy> =>
  train(spec, { kind: 'zero-cost', proxy, resolution: p.fidelities[0].resolution, batch: 16, data: p.data, seed: p.seed, timeoutS: 600 });

/** what decides a fidelity's training result, as a hash: two searches with the same one train the same model the same
 *  way (the runner plays no part in accuracy), so a search reuses another's training of the same spec */
export function trainingKey(p: ProxySettings, level: number): string {
  const { data, testImages, seed } = p;
  const text = JSON.stringify({ data, testImages, seed, device: p.device ?? 'wasm', ...p.fidelities[level] });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** the proxy trainings in a results file's rows (any search's), by spec and training key */
export function earlierTrainings(rows: readonly ResultRow[]): Map<string, Accuracy> {
  return new Map(rows.filter((r) => r.search?.training && r.accuracy.kind === 'proxy' && r.accuracy.value !== null).map((r) => [`${r.spec}#${r.search!.training}`, r.accuracy]));
}

/** `accuracy`, except that a training found in `earlier` is taken from there instead of trained again */
export const reusing = (accuracy: AccuracyFn, p: ProxySettings, earlier: ReadonlyMap<string, Accuracy>, onReuse: () => void): AccuracyFn => async (spec, level) => {
  const hit = earlier.get(`${spec.spec}#${trainingKey(p, level)}`);
  if (!hit) return accuracy(spec, level);
  onReuse();
  return hit;
};
