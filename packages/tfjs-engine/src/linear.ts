/**
 * Conv, MatMul and Gemm. Each absorbs what follows it when that is exact up to float rounding: Conv a
 * BatchNormalization with constant statistics (folded into weights and bias, as onnxruntime does) and then
 * Relu / Clip(0, 6) / Sigmoid as the fused activation; MatMul and Gemm an Add of a bias along the last axis.
 * Weights that are training's variables go through training's differentiable kernels (NodeCtx.grads) instead.
 */
import { numel, type Node } from '@mvbench/ir';
import type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { float, int, ints, kernel, scalar, type NodeCtx, type OpImpl } from './kernel.ts';
import { split } from './split.ts';

type Activation = 'linear' | 'relu' | 'relu6' | 'sigmoid';

/** BatchNormalization(conv(x, w) + b) = conv(x, w * s) + (b - mean) * s + beta, s = gamma / sqrt(var + eps) */
function foldBatchNorm(c: NodeCtx, bn: Node, w: Float32Array, b: Float32Array): [Float32Array, Float32Array] | undefined {
  const [gamma, beta, mean, variance] = bn.inputs.slice(1).map((n) => c.data(n));
  if (bn.inputs[0] !== c.output() || !gamma || !beta || !mean || !variance) return undefined;
  const eps = float(bn.attrs, 'epsilon', 1e-5);
  const per = w.length / b.length;
  const w2 = new Float32Array(w.length), b2 = new Float32Array(b.length);
  for (let o = 0; o < b.length; o++) {
    const s = gamma[o] / Math.sqrt(variance[o] + eps);
    b2[o] = (b[o] - mean[o]) * s + beta[o];
    for (let i = o * per; i < (o + 1) * per; i++) w2[i] = w[i] * s;
  }
  return [w2, b2];
}

function activationOf(c: NodeCtx, n: Node | undefined): Activation | undefined {
  if (!n || n.inputs[0] !== c.output()) return undefined;
  if (n.op === 'Relu') return 'relu';
  if (n.op === 'Sigmoid') return 'sigmoid';
  if (n.op !== 'Clip') return undefined;
  const [lo, hi] = [1, 2].map((i) => (n.inputs[i] ? scalar(c.data(n.inputs[i])) ?? NaN : undefined));
  if (lo === 0 && hi === 6) return 'relu6';
  if (lo === 0 && hi === undefined) return 'relu';
  return undefined;
}

export const Conv: OpImpl = {
  layout: 'nhwc',
  compile(c) {
    const { tf, node } = c;
    const [O, Cg, kh, kw] = c.shape(1);
    const C = c.shape(0)[1];
    const g = int(node.attrs, 'group', 1);
    const strides = ints(node.attrs, 'strides', [1, 1]) as [number, number];
    const dilations = ints(node.attrs, 'dilations', [1, 1]) as [number, number];
    const [t, l, b, r] = ints(node.attrs, 'pads', [0, 0, 0, 0]);
    // symmetric pads as a number; tfjs' typings omit explicit padding for fused depthwise, its kernels take it
    let pad: number | 'same' | 'valid' = t === b && l === r && t === l ? t : ([[0, 0], [t, b], [l, r], [0, 0]] as unknown as number);
    // tfjs-node's TensorFlow kernels take 'valid' and 'same' only: 'same' where it equals the pads (stride 1, pads
    // (k - 1) * d / 2 on every side), else x padded first and 'valid'
    let padX: [number, number][] | undefined;
    if (tf.getBackend() === 'tensorflow') {
      const same = strides.every((s) => s === 1) && [t, b].every((p) => p * 2 === (kh - 1) * dilations[0]) && [l, r].every((p) => p * 2 === (kw - 1) * dilations[1]);
      if (!same && t + b + l + r > 0) padX = [[0, 0], [t, b], [l, r], [0, 0]];
      pad = same && t + l > 0 ? 'same' : 'valid';
    }
    const depthwise = g > 1 && g === C && Cg === 1;
    const groups = depthwise ? 1 : g;
    if (depthwise && strides.some((s) => s > 1) && dilations.some((d) => d > 1))
      c.fail('tfjs depthwise convolutions take strides or dilations > 1, not both');

    let w = c.data(1), bias = c.has(2) ? c.data(2) : new Float32Array(O);
    let activation: Activation = 'linear';
    const constant = w !== undefined && bias !== undefined;
    if (c.fuse && constant && !c.grads) {
      const bn = c.consumer();
      const folded = bn?.op === 'BatchNormalization' ? foldBatchNorm(c, bn, w!, bias!) : undefined;
      if (folded) {
        [w, bias] = folded;
        c.absorb(bn!);
      }
      const next = c.consumer();
      const a = activationOf(c, next);
      if (a) {
        activation = a;
        c.absorb(next!);
      }
    }

    // tfjs filters: conv2d [kh, kw, C/g, O]; depthwise [kh, kw, C, O/C] (output channel c * (O/C) + m)
    const filterOf = (wt: Tensor): Tensor4D =>
      tf.transpose(depthwise ? tf.reshape(wt, [C, O / C, kh, kw]) : wt, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]) as Tensor4D;
    const one = c.grads ? differentiable(c, [t, l, b, r], strides, dilations, depthwise) : (x: Tensor4D, filter: Tensor4D, bias?: Tensor) => {
      const args = { x: padX ? tf.pad(x, padX) : x, filter, strides, pad, dilations, bias: bias as Tensor1D, activation };
      return depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
    };
    const conv = (x: Tensor4D, f: Tensor4D, bt?: Tensor) => {
      if (groups === 1) return one(x, f, bt);
      const [xs, fs, bs] = [tf.split(x, groups, 3), tf.split(f, groups, 3), bt && tf.split(bt, groups)] as [Tensor4D[], Tensor4D[], Tensor[]?];
      return tf.concat(xs.map((xi, i) => one(xi, fs[i], bs?.[i])), 3);
    };
    if (constant) {
      const f = c.hold(tf.tidy(() => filterOf(tf.tensor(w!, [O, Cg, kh, kw]))));
      const bt = c.hold(tf.tensor1d(bias!));
      return kernel('nhwc', [0], ([x]) => conv(x as Tensor4D, f, bt));
    }
    return kernel('nhwc', c.has(2) ? [0, 1, 2] : [0, 1], ([x, wt, bt]) => conv(x as Tensor4D, filterOf(wt), bt), [1, 2]);
  },
};

/** training's conv (custom gradients): symmetric pads, or asymmetric ones applied to x first; no dilation */
function differentiable(c: NodeCtx, [t, l, b, r]: number[], strides: [number, number], dilations: number[], depthwise: boolean) {
  const [O, , kh, kw] = c.shape(1);
  if (dilations.some((d) => d !== 1)) c.fail('dilations > 1 are not supported for training');
  if (depthwise && O !== c.shape(0)[1]) c.fail('depthwise convolutions with a channel multiplier are not supported for training');
  const symmetric = t === b && l === r;
  const conv = c.grads!.conv2d({ kernel: [kh, kw], strides, pads: symmetric ? [t, l] : [0, 0], depthwise });
  return (x: Tensor4D, f: Tensor4D, bias?: Tensor) => conv(symmetric ? x : (c.tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]) as Tensor4D), f, bias);
}

/** a shape that broadcasts along the last axis only: [n], [1, n], [1, 1, n], ... (or a single value) */
const alongLastAxis = (shape: readonly number[], n: number) =>
  shape.slice(0, -1).every((d) => d === 1) && (shape.length === 0 || shape.at(-1) === n || shape.at(-1) === 1);

/** a constant bias that the sole consumer, an Add, puts on the last axis of output(): absorbed, as a 1-D tensor */
function absorbBias(c: NodeCtx): Tensor1D | undefined {
  const add = c.fuse ? c.consumer() : undefined;
  if (add?.op !== 'Add' || add.inputs[0] === add.inputs[1]) return undefined;
  const other = add.inputs[0] === c.output() ? add.inputs[1] : add.inputs[0];
  const data = c.data(other);
  const out = c.out();
  if (!data || !alongLastAxis(c.shape(other), out.at(-1)!) || data.length !== out.at(-1)) return undefined;
  if (c.shape(add.outputs[0]).join() !== out.join()) return undefined;
  c.absorb(add);
  return c.hold(c.tf.tensor1d(data));
}

export const MatMul: OpImpl = {
  layout: 'plain',
  compile(c) {
    const { tf, grads } = c;
    const a = c.shape(0), b = c.shape(1), out = [...c.out()];
    const [M, K] = a.slice(-2), N = b.at(-1)!;
    if (b.slice(0, -2).every((d) => d === 1)) {
      // [..., M, K] x [K, N]: one 2-D product over every row of a, bias fused
      const bias = grads ? undefined : absorbBias(c);
      const w = c.data(1);
      const wt = w && c.hold(tf.tensor2d(w, [K, N]));
      return kernel('plain', wt ? [0] : [0, 1], ([x, y]) => {
        const [rows, right] = [tf.reshape(x, [numel(a) / K, K]) as Tensor2D, (wt ?? tf.reshape(y, [K, N])) as Tensor2D];
        return tf.reshape(grads ? grads.matMul(rows, right) : tf.fused.matMul({ a: rows, b: right, bias }), out);
      });
    }
    const batch = out.slice(0, -2), B = numel(batch);
    const full = (t: Tensor, r: number, k: number) => (numel(t.shape) === B * r * k ? t : tf.broadcastTo(t, [...batch, r, k]));
    if (grads) return kernel('plain', [0, 1], ([x, y]) => tf.reshape(grads.matMul(tf.reshape(full(x, M, K), [B, M, K]), tf.reshape(full(y, K, N), [B, K, N])), out));
    // one 2-D product per batch entry: tfjs-backend-wasm's batched kernel is ~10x slower than its 2-D one
    const entries = (t: Tensor, r: number, k: number) => split(tf, tf.reshape(full(t, r, k), [B * r, k]), Array(B).fill(r), 0);
    return kernel('plain', [0, 1], ([x, y]) => {
      const ys = entries(y, K, N);
      return tf.reshape(tf.concat(entries(x, M, K).map((xi, i) => tf.matMul(xi, ys[i]))), out);
    });
  },
};

export const Gemm: OpImpl = {
  layout: 'plain',
  compile(c) {
    const { tf, node, grads } = c;
    const alpha = float(node.attrs, 'alpha', 1), beta = float(node.attrs, 'beta', 1);
    const transposeA = int(node.attrs, 'transA', 0) === 1, transB = int(node.attrs, 'transB', 0) === 1;
    const N = c.out()[1];
    // a constant B is transposed and scaled by alpha once
    const wd = c.data(1);
    const w = wd && c.hold(tf.tidy(() => {
      const t = tf.tensor2d(wd, c.shape(1) as [number, number]);
      const t2 = transB ? tf.transpose(t) : t;
      return alpha === 1 ? t2 : tf.mul(t2, alpha);
    }));
    const scale = w ? 1 : alpha;
    const cd = c.has(2) ? c.data(2) : undefined;
    const vector = cd !== undefined && alongLastAxis(c.shape(2), N);
    const bias = vector
      ? c.hold(tf.tidy(() => tf.mul(tf.broadcastTo(tf.tensor1d(cd!), [N]), beta) as Tensor1D))
      : c.has(2) || grads ? undefined : absorbBias(c);
    const operands = [0, ...(w ? [] : [1]), ...(c.has(2) && !vector ? [2] : [])];
    const transposeB = !w && transB;
    /** training: explicit transposes and its own matMul gradient; inference: tfjs' fused product */
    const product = (a: Tensor2D, b: Tensor2D, fusedBias?: Tensor1D): Tensor => {
      if (!grads) return tf.fused.matMul({ a, b, transposeA, transposeB, bias: fusedBias });
      const y = grads.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
      return fusedBias ? tf.add(y, fusedBias) : y;
    };
    return kernel('plain', operands, (xs) => {
      const [a, b, z] = w ? [xs[0], w, xs[1]] : xs;
      let y = product(a as Tensor2D, b as Tensor2D, scale === 1 ? bias : undefined);
      if (scale !== 1) y = tf.mul(y, scale);
      if (scale !== 1 && bias) y = tf.add(y, bias);
      return z ? tf.add(y, beta === 1 ? z : tf.mul(z, beta)) : y;
    });
  },
};
