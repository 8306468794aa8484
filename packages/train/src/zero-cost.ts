/**
 * Zero-cost proxies: scores of an untrained network from one batch, for ranking architectures without training.
 * Like the reference code (Abdelfattah et al.'s zero-cost-nas), synflow, grad_norm and snip sum over the weights of
 * convolutions and linear layers (Conv and Gemm weights, MatMul parameters).
 *
 *   synflow    Tanaka et al. 2020, "Pruning neural networks without any data by iteratively conserving synaptic
 *              flow": R = sum of the outputs of the network with |weights| on an all-ones input (eval mode);
 *              score = sum(theta * dR/dtheta). Independent of the batch's values by construction. tfjs has no
 *              float64 (the reference computes in double): a score beyond float32 (deep all-positive networks
 *              without normalisation, e.g. swiftformer) is Infinity, and ReLU6 saturates at 6 (no gradient).
 *   grad_norm  Abdelfattah et al. 2021, "Zero-Cost Proxies for Lightweight NAS": sum over layers of the L2 norm of
 *              the cross-entropy gradient of the weights (training-mode BatchNorm, as the reference).
 *   snip       Lee et al. 2019, "SNIP: Single-shot Network Pruning based on Connection Sensitivity":
 *              sum |theta * dL/dtheta|.
 *   naswot     Mellor et al. 2021, "Neural Architecture Search without Training": per image, the binary code of the
 *              sign of the input of every activation (Relu, Clip(0, .) = ReLU6, Sigmoid of SiLU, Erf of GELU);
 *              K[i][j] = N_A - Hamming(code i, code j); score = log|det K| (slogdet by LU with partial pivoting).
 *
 * Each builds its own executor (fresh parameters from the seed) and leaves nothing behind.
 */
import { materialize, type Graph } from '@mvbench/ir';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { createExecutor, type Executor } from './executor.ts';
import type { Device, TF } from './tf.ts';
import { crossEntropy, type Batch } from './train.ts';

export interface ZeroCostOptions {
  device?: Device;
  /** seed of the parameter initialisation (default: the graph's) */
  seed?: number;
}

/** params read as Conv or Gemm weights, or by a MatMul */
export function layerWeights(graph: Graph): string[] {
  const isParam = (v: string) => graph.initializers.get(v)?.role === 'param';
  const names = graph.nodes.flatMap((n) => (n.op === 'Conv' || n.op === 'Gemm' ? [n.inputs[1]] : n.op === 'MatMul' ? n.inputs : []));
  return [...new Set(names.filter(isParam))];
}

async function withExecutor<T>(graph: Graph, opts: ZeroCostOptions, f: (ex: Executor, tf: TF) => T, capture?: string[]): Promise<T> {
  const ex = await createExecutor(graph, { ...opts, capture });
  try {
    return ex.tf.tidy(() => f(ex, ex.tf) as never) as T;
  } finally {
    ex.dispose();
  }
}

/** sum over layer weights of f(weight, gradient), reduced to a number */
function perWeight(ex: Executor, grads: Map<string, Tensor>, f: (w: Tensor, g: Tensor) => Tensor): number {
  const tf = ex.tf;
  const parts = layerWeights(ex.graph).map((name) => f(ex.params.get(name)!, grads.get(name)!));
  return tf.addN(parts).dataSync()[0];
}

const inputOf = (tf: TF, graph: Graph, b: Batch) => tf.tensor(b.input, [...graph.inputs[0].shape]);

function lossGradients(ex: Executor, tf: TF, batch: Batch): Map<string, Tensor> {
  return ex.gradients(() => crossEntropy(tf, ex.forward(inputOf(tf, ex.graph, batch), { training: true, updateStats: false }).logits, batch.labels)).grads;
}

export function synflow(graph: Graph, _batch: Batch | undefined, opts: ZeroCostOptions = {}): Promise<number> {
  return withExecutor(graph, opts, (ex, tf) => {
    for (const p of ex.params.values()) p.assign(tf.abs(p));
    const shape = [...graph.inputs[0].shape];
    // every image is the same all-ones input and eval mode treats images independently: R per image = sum / B
    const { grads } = ex.gradients(() => tf.div(tf.sum(ex.forward(tf.ones(shape), { training: false }).logits), shape[0]));
    const score = perWeight(ex, grads, (w, g) => tf.sum(tf.mul(w, g)));
    return Number.isNaN(score) ? Infinity : score; // NaN only from Inf - Inf or Inf * 0 after an overflow
  });
}

export function gradNorm(graph: Graph, batch: Batch, opts: ZeroCostOptions = {}): Promise<number> {
  return withExecutor(graph, opts, (ex, tf) => perWeight(ex, lossGradients(ex, tf, batch), (_, g) => tf.norm(g)));
}

export function snip(graph: Graph, batch: Batch, opts: ZeroCostOptions = {}): Promise<number> {
  return withExecutor(graph, opts, (ex, tf) => perWeight(ex, lossGradients(ex, tf, batch), (w, g) => tf.sum(tf.abs(tf.mul(w, g)))));
}

/** the value each activation function reads: its sign decides the unit's code bit */
export function activationInputs(graph: Graph): string[] {
  const constant = (v: string | undefined) => {
    const init = v ? graph.initializers.get(v) : undefined;
    return init?.role === 'const' ? (materialize(init, graph.seed) as Float32Array)[0] : undefined;
  };
  const acts = graph.nodes.filter((n) => ['Relu', 'Sigmoid', 'Erf'].includes(n.op) || (n.op === 'Clip' && constant(n.inputs[1]) === 0));
  return [...new Set(acts.map((n) => n.inputs[0]))];
}

export function naswot(graph: Graph, batch: Batch, opts: ZeroCostOptions = {}): Promise<number> {
  const acts = activationInputs(graph);
  const b = graph.inputs[0].shape[0];
  return withExecutor(graph, opts, (ex, tf) => {
    const { captured } = ex.forward(inputOf(tf, graph, batch), { training: true, updateStats: false });
    const k = new Float64Array(b * b);
    for (const x of captured) {
      const n = x.size / b;
      // +1 / -1 codes: z_i . z_j = n - 2 Hamming, so agreements n - Hamming = (n + z_i . z_j) / 2
      const z = tf.reshape(tf.sub(tf.mul(tf.step(x), 2), 1), [b, n]) as Tensor2D;
      const dots = tf.matMul(z, z, false, true).dataSync();
      dots.forEach((d, i) => (k[i] += (n + d) / 2));
    }
    return slogdet(k, b);
  }, acts);
}

/** log |det A| of an n x n row-major matrix; -Infinity when singular */
export function slogdet(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let log = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    const pivot = m[p * n + c];
    if (pivot === 0) return -Infinity;
    if (p !== c) for (let j = 0; j < n; j++) [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
    log += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / pivot;
      for (let j = c; j < n; j++) m[r * n + j] -= f * m[c * n + j];
    }
  }
  return log;
}
