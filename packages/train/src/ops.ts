/**
 * The one op table of the trainer: every IR op (packages/ir/src/ops.ts) maps to differentiable tfjs ops. Keyed by
 * OpName, so an op added to the IR without a row here fails the typecheck.
 */
import { numel, type Attrs, type Node, type OpName } from '@mvbench/ir';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Kernel, NodeCtx, OpImpl, Policy } from './executor.ts';
import { permute, physAxis, QINV, TO_NHWC, type Layout } from '@mvbench/runner-tfjs';
import { batchNorm, conv2d, matMul } from './custom-grads.ts';
import type { TF } from './tf.ts';

const kernel = (mode: Layout, operands: number[], run: Kernel['run'], plain?: number[]): Kernel => ({ mode, operands, run, plain });
const num = (a: Attrs, k: string, d: number): number => (a[k] as number | undefined) ?? d;
const nums = (a: Attrs, k: string, d: readonly number[]): number[] => [...((a[k] as number[] | undefined) ?? d)];
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const scalar = (x: Float32Array | undefined): number | undefined => (x?.length === 1 ? x[0] : undefined);

const unary = (f: (tf: TF, x: Tensor) => Tensor): OpImpl => ({
  layout: 'either',
  compile: (c, mode) => kernel(mode, [0], ([x]) => f(c.tf, x)),
});
const binary = (f: (tf: TF, a: Tensor, b: Tensor) => Tensor): OpImpl => ({
  layout: 'either',
  compile: (c, mode) => kernel(mode, [0, 1], ([a, b]) => f(c.tf, a, b)),
});
/** NHWC only for rank-4 inputs, and only when `ok` */
const rank4If = (ok: (c: NodeCtx) => boolean) => (c: NodeCtx): Policy => (c.shape(0).length === 4 && ok(c) ? 'either' : 'plain');

/** a shape that puts n values on logical axis 1 of a rank-`rank` value held in `mode` */
function channelShape(n: number, rank: number, mode: Layout): number[] {
  const shape = Array<number>(mode === 'nhwc' ? 4 : rank).fill(1);
  shape[physAxis(1, rank, mode)] = n;
  return shape;
}

/** (x - mean) / sqrt(var + eps) over `axes`, two passes like the reference implementations */
function standardize(tf: TF, x: Tensor, axes: number[], eps: number): Tensor {
  const d = tf.sub(x, tf.mean(x, axes, true));
  return tf.mul(d, tf.rsqrt(tf.add(tf.mean(tf.square(d), axes, true), eps)));
}

/**
 * Training: batch statistics (biased variance in the output, unbiased in the running estimate, as PyTorch) and the
 * running buffers move by `momentum` = 1 - the ONNX attribute (PyTorch's 0.1 when absent). Eval: running statistics.
 * Channels last (NHWC, or rank 2) take the closed-form gradient (custom-grads.ts); other layouts tfjs' autodiff.
 */
const BatchNormalization: OpImpl = {
  layout: 'either',
  compile(c, mode) {
    const { tf } = c;
    const x = c.shape(0), rank = x.length, n = numel(x) / x[1];
    const eps = num(c.node.attrs, 'epsilon', 1e-5), momentum = 1 - num(c.node.attrs, 'momentum', 0.9);
    const chan = channelShape(x[1], rank, mode);
    const axes = range(0, chan.length).filter((a) => chan[a] === 1);
    const [runMean, runVar] = [c.variable(3), c.variable(4)];
    const update = (m: Tensor, v: Tensor) => {
      if (!runMean || !runVar) return;
      runMean.assign(tf.add(tf.mul(runMean, 1 - momentum), tf.mul(tf.reshape(m, [x[1]]), momentum)));
      runVar.assign(tf.add(tf.mul(runVar, 1 - momentum), tf.mul(tf.reshape(v, [x[1]]), (momentum * n) / (n - 1))));
    };
    let skip = false;
    const fast = batchNorm(tf, eps, (m, v) => skip || update(m, v));
    const lastAxis = chan.at(-1) === x[1];
    return kernel(mode, [0, 1, 2, 3, 4], ([t, gamma, beta, mean, variance], rc) => {
      const r = (v: Tensor) => tf.reshape(v, chan);
      if (!rc.training) return tf.add(tf.mul(tf.sub(t, r(mean)), r(tf.mul(gamma, tf.rsqrt(tf.add(variance, eps))))), r(beta));
      skip = rc.updateStats === false;
      if (lastAxis && c.conv === 'fast') return fast(t, gamma, beta);
      const m = tf.mean(t, axes, true), d = tf.sub(t, m), v = tf.mean(tf.square(d), axes, true);
      if (!skip) update(m, v);
      return tf.add(tf.mul(tf.mul(d, tf.rsqrt(tf.add(v, eps))), r(gamma)), r(beta));
    }, [1, 2, 3, 4]);
  },
};

/** over axes axis..; NHWC when that is every axis but the batch of a rank-4 input */
const LayerNormalization: OpImpl = {
  layout: rank4If((c) => [1, -3].includes(num(c.node.attrs, 'axis', -1))),
  compile(c, mode) {
    const { tf } = c;
    const rank = c.shape(0).length, axis = num(c.node.attrs, 'axis', -1);
    const axes = mode === 'nhwc' ? [1, 2, 3] : range(axis < 0 ? axis + rank : axis, rank);
    const eps = num(c.node.attrs, 'epsilon', 1e-5);
    if (mode === 'nhwc' && (c.shape(1).length !== 3 || c.has(2) && c.shape(2).length !== 3)) c.fail('NHWC needs [C, H, W] scale and bias');
    return kernel(mode, c.has(2) ? [0, 1, 2] : [0, 1], ([x, scale, bias]) => {
      const y = tf.mul(standardize(tf, x, axes, eps), scale);
      return bias ? tf.add(y, bias) : y;
    });
  },
};

const InstanceNormalization: OpImpl = {
  layout: rank4If(() => true),
  compile(c, mode) {
    const { tf } = c;
    const rank = c.shape(0).length, eps = num(c.node.attrs, 'epsilon', 1e-5);
    const axes = mode === 'nhwc' ? [1, 2] : range(2, rank);
    const shape = channelShape(c.shape(1)[0], rank, mode);
    return kernel(mode, [0, 1, 2], ([x, s, b]) => tf.add(tf.mul(standardize(tf, x, axes, eps), tf.reshape(s, shape)), tf.reshape(b, shape)), [1, 2]);
  },
};

/** Reshape x [N, ...] -> [N, 1, M] -> InstanceNormalization (1 channel, constant affine) -> Reshape back to x's shape */
function matchGroupNorm(c: NodeCtx): [Node, Node] | undefined {
  const x = c.shape(0), mid = c.out();
  const norm = c.consumer();
  if (mid.length !== 3 || mid[0] !== x[0] || mid[1] !== 1 || x.length > 4) return undefined;
  if (norm?.op !== 'InstanceNormalization' || norm.inputs[0] !== c.output() || !c.data(norm.inputs[1]) || !c.data(norm.inputs[2])) return undefined;
  const back = c.consumer(norm.outputs[0]);
  return back?.op === 'Reshape' && c.shape(back.outputs[0]).join() === x.join() ? [norm, back] : undefined;
}

/** GroupNorm(1) normalises every axis but the batch, so the order of those axes does not matter: any layout */
function groupNorm(c: NodeCtx, mode: Layout, [norm, back]: [Node, Node]): Kernel {
  const { tf } = c;
  const eps = num(norm.attrs, 'epsilon', 1e-5);
  const [s, b] = [norm.inputs[1], norm.inputs[2]].map((v) => c.data(v)![0]);
  c.absorb(norm);
  c.absorb(back);
  const axes = range(1, mode === 'nhwc' ? 4 : c.shape(0).length);
  return kernel(mode, [0], ([x]) => tf.add(tf.mul(standardize(tf, x, axes, eps), s), b));
}

const Conv: OpImpl = {
  layout: 'nhwc',
  compile(c) {
    const { tf, node } = c;
    const [O, Cg, kh, kw] = c.shape(1);
    const C = c.shape(0)[1], g = num(node.attrs, 'group', 1);
    const [t, l, b, r] = nums(node.attrs, 'pads', [0, 0, 0, 0]);
    if (nums(node.attrs, 'dilations', [1, 1]).some((d) => d !== 1)) c.fail('dilations > 1 are not supported for training');
    const depthwise = g > 1 && g === C && Cg === 1;
    if (depthwise && O !== C) c.fail('depthwise convolutions with a channel multiplier are not supported for training');
    const groups = depthwise ? 1 : g;
    const symmetric = t === b && l === r;
    const conv = conv2d(tf, {
      kernel: [kh, kw],
      strides: nums(node.attrs, 'strides', [1, 1]) as [number, number],
      pads: symmetric ? [t, l] : [0, 0],
      depthwise,
      mode: c.conv === 'native' ? 'native' : 'fast',
    });
    // tfjs filters: conv2d [kh, kw, C/g, O]; depthwise [kh, kw, C, 1]
    const filterOf = (w: Tensor): Tensor4D =>
      tf.transpose(depthwise ? tf.reshape(w, [C, 1, kh, kw]) : w, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]) as Tensor4D;
    return kernel('nhwc', c.has(2) ? [0, 1, 2] : [0, 1], ([x, w, bias]) => {
      const xp = (symmetric ? x : tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]])) as Tensor4D;
      const f = filterOf(w);
      if (groups === 1) return conv(xp, f, bias);
      const [xs, fs, bs] = [tf.split(xp, groups, 3), tf.split(f, groups, 3), bias && tf.split(bias, groups)];
      return tf.concat(xs.map((xi, i) => conv(xi as Tensor4D, fs[i] as Tensor4D, bs?.[i])), 3);
    }, [1, 2]);
  },
};

const MatMul: OpImpl = {
  layout: 'plain',
  compile(c) {
    const { tf } = c;
    const mm = matMul(tf);
    const a = c.shape(0), b = c.shape(1), out = [...c.out()];
    const [M, K] = a.slice(-2), N = b.at(-1)!;
    if (b.slice(0, -2).every((d) => d === 1)) return kernel('plain', [0, 1], ([x, y]) => tf.reshape(mm(tf.reshape(x, [-1, K]), tf.reshape(y, [K, N])), out));
    const batch = out.slice(0, -2), B = numel(batch);
    const flat = (t: Tensor, r: number, k: number) => tf.reshape(numel(t.shape) === B * r * k ? t : tf.broadcastTo(t, [...batch, r, k]), [B, r, k]);
    return kernel('plain', [0, 1], ([x, y]) => tf.reshape(mm(flat(x, M, K), flat(y, K, N)), out));
  },
};

const Gemm: OpImpl = {
  layout: 'plain',
  compile(c) {
    const { tf, node } = c;
    const mm = matMul(tf);
    const [alpha, beta] = [num(node.attrs, 'alpha', 1), num(node.attrs, 'beta', 1)];
    const [ta, tb] = [num(node.attrs, 'transA', 0), num(node.attrs, 'transB', 0)];
    return kernel('plain', c.has(2) ? [0, 1, 2] : [0, 1], ([a, b, z]) => {
      let y = mm(ta ? tf.transpose(a) : a, tb ? tf.transpose(b) : b);
      if (alpha !== 1) y = tf.mul(y, alpha);
      return z ? tf.add(y, beta === 1 ? z : tf.mul(z, beta)) : y;
    });
  },
};

function reduce(f: (tf: TF, x: Tensor, axes: number[], keep: boolean) => Tensor, axesInput: boolean): OpImpl {
  const keep = (c: NodeCtx) => num(c.node.attrs, 'keepdims', 1) === 1;
  return {
    layout: rank4If(keep),
    compile(c, mode) {
      const rank = c.shape(0).length;
      const axes = (axesInput ? (c.has(1) ? c.ints(1) ?? c.fail('axes must be a constant') : undefined) : (c.node.attrs.axes as number[] | undefined)) ?? [];
      if (!axes.length && axesInput && num(c.node.attrs, 'noop_with_empty_axes', 0) === 1) return { alias: 0 };
      const phys = (axes.length ? axes : range(0, rank)).map((a) => physAxis(a, rank, mode));
      return kernel(mode, [0], ([x]) => f(c.tf, x, phys, keep(c)));
    },
  };
}

const Softmax: OpImpl = {
  layout: rank4If((c) => physAxis(num(c.node.attrs, 'axis', -1), 4, 'nhwc') === 3),
  compile(c, mode) {
    const { tf } = c;
    const x = c.shape(0), axis = physAxis(num(c.node.attrs, 'axis', -1), x.length, mode);
    if (mode === 'nhwc' || axis === x.length - 1) return kernel(mode, [0], ([t]) => tf.softmax(t));
    // softmax over a middle axis: move it last (rank-4 transposes), softmax, move it back
    const perm = [...range(0, axis), ...range(axis + 1, x.length), axis];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return kernel(mode, [0], ([t]) => permute(tf, tf.softmax(permute(tf, t, perm)), inverse));
  },
};

/** Transpose in NHWC: output axis j of the NHWC result is input axis QINV[perm[TO_NHWC[j]]] of the NHWC input */
const Transpose: OpImpl = {
  layout: rank4If(() => true),
  compile(c, mode) {
    const rank = c.shape(0).length;
    const perm = nums(c.node.attrs, 'perm', range(0, rank).reverse());
    const phys = mode === 'plain' ? perm : TO_NHWC.map((a) => QINV[perm[a]]);
    if (phys.every((a, i) => a === i)) return { alias: 0 };
    return kernel(mode, [0], ([x]) => permute(c.tf, x, phys));
  },
};

const reshape: OpImpl = { layout: 'plain', compile: (c) => kernel('plain', [0], ([x]) => c.tf.reshape(x, [...c.out()])) };

export const OP_TABLE: Record<OpName, OpImpl> = {
  Conv,
  BatchNormalization,
  LayerNormalization,
  InstanceNormalization,
  MatMul,
  Gemm,
  Add: binary((tf, a, b) => tf.add(a, b)),
  Sub: binary((tf, a, b) => tf.sub(a, b)),
  Mul: binary((tf, a, b) => tf.mul(a, b)),
  Div: binary((tf, a, b) => tf.div(a, b)),
  Pow: {
    layout: 'either',
    compile(c, mode) {
      const { tf } = c;
      const e = scalar(c.data(1));
      if (e === undefined || c.shape(1).length > c.shape(0).length) return kernel(mode, [0, 1], ([a, b]) => tf.pow(a, b));
      return kernel(mode, [0], ([a]) => (e === 2 ? tf.square(a) : e === 0.5 ? tf.sqrt(a) : tf.pow(a, e)));
    },
  },
  Relu: unary((tf, x) => tf.relu(x)),
  Sigmoid: unary((tf, x) => tf.sigmoid(x)),
  Tanh: unary((tf, x) => tf.tanh(x)),
  Erf: unary((tf, x) => tf.erf(x)),
  Sqrt: unary((tf, x) => tf.sqrt(x)),
  Identity: { layout: 'either', compile: () => ({ alias: 0 }) },
  HardSigmoid: {
    layout: 'either',
    compile(c, mode) {
      const [alpha, beta] = [num(c.node.attrs, 'alpha', 0.2), num(c.node.attrs, 'beta', 0.5)];
      return kernel(mode, [0], ([x]) => c.tf.clipByValue(c.tf.add(c.tf.mul(x, alpha), beta), 0, 1));
    },
  },
  Clip: {
    layout: 'either',
    compile(c, mode) {
      const [lo, hi] = [1, 2].map((i) => (c.has(i) ? scalar(c.data(i)) ?? c.fail(`input ${i} must be a constant scalar`) : undefined));
      if (lo === 0 && hi === 6) return kernel(mode, [0], ([x]) => c.tf.relu6(x));
      return kernel(mode, [0], ([x]) => c.tf.clipByValue(x, lo ?? -3.4e38, hi ?? 3.4e38));
    },
  },
  Softmax,
  ReduceSum: reduce((tf, x, axes, keep) => tf.sum(x, axes, keep), true),
  ReduceMean: reduce((tf, x, axes, keep) => tf.mean(x, axes, keep), false),
  ReduceL2: reduce((tf, x, axes, keep) => tf.sqrt(tf.sum(tf.square(x), axes, keep)), false),
  GlobalAveragePool: {
    layout: rank4If(() => true),
    compile: (c, mode) => kernel(mode, [0], ([x]) => c.tf.mean(x, mode === 'nhwc' ? [1, 2] : range(2, c.shape(0).length), true)),
  },
  Flatten: reshape,
  Reshape: {
    layout: (c) => (matchGroupNorm(c) ? 'either' : 'plain'),
    compile(c, mode) {
      const gn = matchGroupNorm(c);
      return gn ? groupNorm(c, mode, gn) : reshape.compile(c, mode);
    },
  },
  Transpose,
  Concat: {
    layout: rank4If(() => true),
    compile(c, mode) {
      const axis = physAxis(num(c.node.attrs, 'axis', 0), c.shape(0).length, mode);
      return kernel(mode, range(0, c.node.inputs.length), (xs) => c.tf.concat(xs, axis));
    },
  },
  Split: {
    layout: rank4If(() => true),
    compile(c, mode) {
      const axis = physAxis(num(c.node.attrs, 'axis', 0), c.shape(0).length, mode);
      const sizes = c.ints(1) ?? c.fail('split sizes must be a constant input');
      return kernel(mode, [0], ([x]) => c.tf.split(x, sizes, axis));
    },
  },
  Resize: { layout: 'plain', compile: (c) => c.fail('Resize is used by none of the four families and has no training kernel') },
};
