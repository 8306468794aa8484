/**
 * The fit, in two stages:
 * 1. linear: latency = sum over kernel classes of coefficient x feature (+ a constant), least squares weighted by
 *    1/latency^2 so that every model's relative error counts alike (a 2 ms model as much as a 60 ms one). Features
 *    are scaled to their training means so the normal equations stay well conditioned.
 * 2. a random forest (as nn-Meter and LitePred use for kernels) learns what the additive model misses, the log of
 *    measured / linear, from each class's share of the linear prediction and its log: cache effects of large
 *    attention maps, channel counts too small for a GEMM to reach speed. Inputs are the model's own cost structure,
 *    not family names, so a family added to the registry is predicted the same way.
 * Quality is measured out of sample by k-fold cross-validation (both stages refitted per fold); its relative
 * residuals give the prediction interval.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import MLR from 'ml-regression-multivariate-linear';
import { RandomForestRegression } from 'ml-random-forest';
import { kendallTau, mulberry32 } from '@mvbench/core';
import { FEATURES, type Features } from './features.ts';

export interface Sample {
  spec: string;
  features: Features;
  ms: number;
}

interface LinearModel {
  /** per feature, then the constant: ms = sum(coef[i] * feature[i] / scale[i]) + coef[last] */
  scale: number[];
  coef: number[];
}

export interface FitQuality {
  specs: number;
  folds: number;
  /** out-of-fold: share of specs within +/-5% and +/-10% of their measured median, RMSPE, Kendall tau */
  within5: number;
  within10: number;
  rmspe: number;
  /** null when either side is constant */
  kendallTau: number | null;
  /** 5th and 95th percentile of (measured / predicted - 1) out of fold: the 90% prediction interval */
  interval: [number, number];
}

/** only keeps the normal equations solvable when a class never occurs (its column all zero): 1e-4 cost ort-web:wasm
 *  a third of its specs within +/-5% in cross-validation, 1e-8 and 0 fit alike */
const RIDGE = 1e-8;

const row = (f: Features, scale: readonly number[]) => FEATURES.map((k, i) => (scale[i] ? f[k] / scale[i] : 0));

function fitLinear(samples: readonly Sample[]): LinearModel {
  const scale = FEATURES.map((k) => samples.reduce((a, s) => a + s.features[k], 0) / samples.length);
  // weighted least squares as ordinary least squares on rows divided by the latency; ridge rows pull toward 0
  const x = samples.map((s) => [...row(s.features, scale), 1].map((v) => v / s.ms));
  const y = samples.map(() => [1]);
  const n = FEATURES.length + 1;
  for (let i = 0; i < n - 1; i++) {
    x.push(Array.from({ length: n }, (_, j) => (j === i ? Math.sqrt(RIDGE * samples.length) : 0)));
    y.push([0]);
  }
  const mlr = new MLR(x, y, { intercept: false, statistics: false });
  return { scale, coef: mlr.weights.map((w) => w[0]) };
}

function predictLinear(m: LinearModel, f: Features): number {
  const r = row(f, m.scale);
  return r.reduce((a, v, i) => a + v * m.coef[i], m.coef[r.length]);
}

/** the forest's settings: 50 trees of depth <= 8 (deeper or more trees gained nothing in cross-validation on
 *  ort-node:cpu, 300 specs, and tripled the stored size) */
const FOREST = { nEstimators: 50, maxFeatures: 0.7, replacement: true, seed: 1, treeOptions: { minNumSamples: 10, maxDepth: 8 } };

/** the linear prediction (floored: far outside the space it can go to 0) and each class's share of it */
function forestInput(m: LinearModel, f: Features): { linear: number; input: number[] } {
  const parts = row(f, m.scale).map((v, i) => v * m.coef[i]);
  const linear = Math.max(parts.reduce((a, b) => a + b, m.coef[parts.length]), 1e-3);
  return { linear, input: [...parts.map((p) => p / linear), Math.log(linear)] };
}

export interface Model {
  linear: LinearModel;
  forest: RandomForestRegression;
}

export function fitModel(samples: readonly Sample[]): Model {
  const linear = fitLinear(samples);
  const forest = new RandomForestRegression(FOREST);
  const inputs = samples.map((s) => forestInput(linear, s.features));
  forest.train(inputs.map((x) => x.input), samples.map((s, i) => Math.log(s.ms / inputs[i].linear)));
  return { linear, forest };
}

export function predictModel(m: Model, f: Features): number {
  const { linear, input } = forestInput(m.linear, f);
  return linear * Math.exp(m.forest.predict([input])[0]);
}

/** the forest as stored in a predictor file: ml-random-forest's own JSON, gzipped, base64 (~70 KB instead of 500) */
export const packForest = (forest: RandomForestRegression): string => gzipSync(JSON.stringify(forest.toJSON()), { level: 9 }).toString('base64');
export const unpackForest = (packed: string): RandomForestRegression =>
  RandomForestRegression.load(JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')));

/** k-fold cross-validation: each spec predicted by a model fitted without it */
export function crossValidate(samples: readonly Sample[], folds = 5, seed = 0): { predicted: number[]; quality: FitQuality } {
  const rand = mulberry32(seed);
  const order = samples.map((_, i) => i).map((i) => ({ i, r: rand() })).sort((a, b) => a.r - b.r).map((o) => o.i);
  const predicted = new Array<number>(samples.length);
  for (let k = 0; k < folds; k++) {
    const test = new Set(order.filter((_, j) => j % folds === k));
    const model = fitModel(samples.filter((_, i) => !test.has(i)));
    for (const i of test) predicted[i] = predictModel(model, samples[i].features);
  }
  return { predicted, quality: quality(samples.map((s) => s.ms), predicted, folds) };
}

export function quality(measured: readonly number[], predicted: readonly number[], folds = 0): FitQuality {
  const rel = measured.map((m, i) => predicted[i] / m - 1);
  const share = (t: number) => rel.filter((r) => Math.abs(r) <= t).length / rel.length;
  const ratio = measured.map((m, i) => m / predicted[i] - 1).sort((a, b) => a - b);
  const tau = kendallTau(measured, predicted);
  const q = (p: number) => ratio[Math.min(ratio.length - 1, Math.max(0, Math.round(p * (ratio.length - 1))))];
  return {
    specs: measured.length,
    folds,
    within5: share(0.05),
    within10: share(0.1),
    rmspe: Math.sqrt(rel.reduce((a, r) => a + r * r, 0) / rel.length),
    kendallTau: Number.isNaN(tau) ? null : tau,
    interval: [q(0.05), q(0.95)],
  };
}
