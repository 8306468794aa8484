/**
 * Normalisations as tfjs arithmetic: mean, then the variance of the centred values (two passes, like the
 * reference implementations). GroupNorm with one group, which the DSL writes as Reshape -> InstanceNormalization ->
 * Reshape back (MobileViTv2), runs as one kernel in whatever layout its input has: it normalises over every axis
 * but the batch, so the order of those axes does not matter and no NHWC -> NCHW transpose is needed.
 */
import { numel, type Node } from '@mvbench/ir';
import type { Tensor } from '@tensorflow/tfjs-core';
import { float, kernel, range, type Kernel, type NodeCtx, type OpImpl, type TF } from './kernel.ts';
import { physAxis, type Layout } from './layout.ts';

/**
 * Mean over `axes` with keepdims. A long run of adjacent axes is averaged in two levels (rows, then row means):
 * tfjs-backend-wasm accumulates a mean in one float32 sum, which over MobileViTv2's 262144-value group norm is off
 * by 3e-6 relative and moved the logits by 6e-5 of their range; two levels of ~512 values stay within 1e-7.
 */
function mean(tf: TF, x: Tensor, axes: number[]): Tensor {
  const lo = Math.min(...axes), hi = Math.max(...axes);
  const n = x.shape.slice(lo, hi + 1).reduce((a, b) => a * b, 1);
  let rows = Math.floor(Math.sqrt(n));
  while (n % rows) rows--;
  if (hi - lo + 1 !== axes.length || n <= 4096 || rows === 1) return tf.mean(x, axes, true);
  const split = tf.reshape(x, [...x.shape.slice(0, lo), rows, n / rows, ...x.shape.slice(hi + 1)]);
  const m = tf.mean(tf.mean(split, lo + 1, true), lo, true);
  return tf.reshape(m, x.shape.map((d, i) => (i >= lo && i <= hi ? 1 : d)));
}

/** (x - mean) / sqrt(var + eps) over `axes` */
function standardize(tf: TF, x: Tensor, axes: number[], eps: number): Tensor {
  const d = tf.sub(x, mean(tf, x, axes));
  return tf.mul(d, tf.rsqrt(tf.add(mean(tf, tf.square(d), axes), eps)));
}

/** a shape that puts `n` values on logical axis 1 of a rank-`rank` value held in `mode` */
function channelShape(n: number, rank: number, mode: Layout): number[] {
  const shape = Array<number>(mode === 'nhwc' ? 4 : rank).fill(1);
  shape[physAxis(1, rank, mode)] = n;
  return shape;
}

/**
 * Constant statistics (inference graphs): one multiply-add, folded while compiling. Runtime parameters (training's
 * variables): in eval mode the running statistics; in training mode the batch's (biased variance in the output,
 * unbiased in the running estimate, as PyTorch), the running buffers moving by `momentum` = 1 - the ONNX attribute
 * (PyTorch's 0.1 when absent). Channels last (NHWC, or rank 2) takes training's closed-form gradient when it has one.
 */
export const BatchNormalization: OpImpl = {
  layout: 'either',
  compile(c, mode) {
    const { tf } = c;
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => c.data(i));
    const eps = float(c.node.attrs, 'epsilon', 1e-5);
    const chan = channelShape(c.shape(0)[1], c.shape(0).length, mode);
    if (!gamma || !beta || !mean || !variance) return batchStatistics(c, mode, eps, chan);
    const s = gamma.map((g, i) => g / Math.sqrt(variance[i] + eps));
    const t = beta.map((b, i) => b - mean[i] * s[i]);
    const [st, tt] = [s, t].map((v) => c.hold(tf.tensor(v, chan)));
    return kernel(mode, [0], ([x]) => tf.add(tf.mul(x, st), tt));
  },
};

function batchStatistics(c: NodeCtx, mode: Layout, eps: number, chan: number[]): Kernel {
  const { tf } = c;
  const x = c.shape(0), n = numel(x) / x[1];
  const nodeMomentum = 1 - float(c.node.attrs, 'momentum', 0.9);
  let momentum = nodeMomentum;
  const axes = range(0, chan.length).filter((a) => chan[a] === 1);
  const [runMean, runVar] = [c.variable(3), c.variable(4)];
  const update = (m: Tensor, v: Tensor) => {
    if (!runMean || !runVar) return;
    runMean.assign(tf.add(tf.mul(runMean, 1 - momentum), tf.mul(tf.reshape(m, [x[1]]), momentum)));
    runVar.assign(tf.add(tf.mul(runVar, 1 - momentum), tf.mul(tf.reshape(v, [x[1]]), (momentum * n) / (n - 1))));
  };
  let skip = false;
  const fast = chan.at(-1) === x[1] ? c.grads?.batchNorm?.(eps, (m, v) => skip || update(m, v)) : undefined;
  return kernel(mode, [0, 1, 2, 3, 4], ([t, gamma, beta, mean, variance], rc) => {
    const r = (v: Tensor) => tf.reshape(v, chan);
    if (!rc.training) return tf.add(tf.mul(tf.sub(t, r(mean)), r(tf.mul(gamma, tf.rsqrt(tf.add(variance, eps))))), r(beta));
    skip = rc.updateStats === false;
    momentum = rc.statsMomentum ?? nodeMomentum;
    if (fast) return fast(t, gamma, beta);
    const m = tf.mean(t, axes, true), d = tf.sub(t, m), v = tf.mean(tf.square(d), axes, true);
    if (!skip) update(m, v);
    return tf.add(tf.mul(tf.mul(d, tf.rsqrt(tf.add(v, eps))), r(gamma)), r(beta));
  }, [1, 2, 3, 4]);
}

/** over axes axis..; NHWC when that is every axis but the batch (or every axis) of a rank-4 input */
export const LayerNormalization: OpImpl = {
  layout: (c) => (c.shape(0).length === 4 && [0, 1, -4, -3].includes(float(c.node.attrs, 'axis', -1)) ? 'either' : 'plain'),
  compile(c, mode) {
    const { tf, node } = c;
    const rank = c.shape(0).length;
    const axis = float(node.attrs, 'axis', -1);
    const axes = range(mode === 'nhwc' ? (axis + 4) % 4 : axis < 0 ? axis + rank : axis, rank);
    const eps = float(node.attrs, 'epsilon', 1e-5);
    return kernel(mode, c.has(2) ? [0, 1, 2] : [0, 1], ([x, scale, bias]) => {
      const y = tf.mul(standardize(tf, x, axes, eps), scale);
      return bias ? tf.add(y, bias) : y;
    });
  },
};

export const InstanceNormalization: OpImpl = {
  layout: (c) => (c.shape(0).length === 4 ? 'either' : 'plain'),
  compile(c, mode) {
    const { tf } = c;
    const rank = c.shape(0).length;
    const eps = float(c.node.attrs, 'epsilon', 1e-5);
    const axes = mode === 'nhwc' ? [1, 2] : range(2, rank);
    const shape = channelShape(c.shape(1)[0], rank, mode);
    return kernel(mode, [0, 1, 2], ([x, scale, bias]) =>
      tf.add(tf.mul(standardize(tf, x, axes, eps), tf.reshape(scale, shape)), tf.reshape(bias, shape)), [1, 2]);
  },
};

/** Reshape x [N, ...] -> [N, 1, M] -> InstanceNormalization (1 channel, constant affine) -> Reshape back to x's shape */
export function matchGroupNorm(c: NodeCtx): [Node, Node] | undefined {
  const x = c.shape(0), mid = c.out();
  const norm = c.fuse ? c.consumer() : undefined;
  if (mid.length !== 3 || mid[0] !== x[0] || mid[1] !== 1 || x.length > 4) return undefined;
  if (norm?.op !== 'InstanceNormalization' || norm.inputs[0] !== c.output() || !c.data(norm.inputs[1]) || !c.data(norm.inputs[2])) return undefined;
  const back = c.consumer(norm.outputs[0]);
  if (back?.op !== 'Reshape' || c.shape(back.outputs[0]).join() !== x.join()) return undefined;
  return [norm, back];
}

export function groupNorm(c: NodeCtx, mode: Layout, [norm, back]: [Node, Node]): Kernel {
  const { tf } = c;
  const eps = float(norm.attrs, 'epsilon', 1e-5);
  const [scale, bias] = [norm.inputs[1], norm.inputs[2]].map((v) => c.data(v)!);
  c.absorb(norm);
  c.absorb(back);
  const axes = range(1, mode === 'nhwc' ? 4 : c.shape(0).length);
  const [s, b] = [scale[0], bias[0]].map((v) => c.hold(tf.scalar(v)));
  return kernel(mode, [0], ([x]) => tf.add(tf.mul(standardize(tf, x, axes, eps), s), b));
}
