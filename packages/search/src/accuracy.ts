/**
 * Proxy accuracy at a fidelity: `mvbench train`'s proxy training (packages/accuracy, a child process of its own
 * per training, so `workers` of them use both cores). Every fidelity tests on the same held-out images, so their
 * top-1 values are comparable; higher fidelities train on more images for more epochs.
 */
import { accuracyFor } from '@mvbench/accuracy';
import type { ModelSpec } from '@mvbench/dsl';
import type { Accuracy } from '@mvbench/results';
import type { ZERO_COST_PROXIES } from '@mvbench/plan';
import type { AccuracyFn } from './evaluate.ts';

export type ZeroCostProxy = (typeof ZERO_COST_PROXIES)[number];

export interface Fidelity {
  resolution: number;
  epochs: number;
  trainImages: number;
}

export interface ProxySettings {
  /** 'synthetic' or a dataset directory */
  data: string;
  fidelities: readonly Fidelity[];
  testImages: number;
  batch: number;
  seed: number;
  timeoutS: number;
}

/** successive halving's rungs: each trains on twice the images of the one before, the last for two epochs */
export const DEFAULT_FIDELITIES: readonly Fidelity[] = [
  { resolution: 64, epochs: 1, trainImages: 128 },
  { resolution: 64, epochs: 1, trainImages: 256 },
  { resolution: 64, epochs: 2, trainImages: 512 },
];

export const proxyAccuracy = (p: ProxySettings): AccuracyFn => (spec, level) => {
  const f = p.fidelities[level];
  return accuracyFor(spec, { kind: 'proxy', data: p.data, resolution: f.resolution, epochs: f.epochs, batch: p.batch, trainImages: f.trainImages, testImages: p.testImages, seed: p.seed, timeoutS: p.timeoutS });
};

/** a zero-cost score at the cheapest fidelity's resolution (mvbench score; its own process), higher is better */
export const zeroCostScore = (proxy: ZeroCostProxy, p: ProxySettings) => (spec: ModelSpec): Promise<Accuracy> =>
  accuracyFor(spec, { kind: 'zero-cost', proxy, resolution: p.fidelities[0].resolution, batch: 16, data: p.data, seed: p.seed, timeoutS: 600 });
