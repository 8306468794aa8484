/**
 * The one op table of TensorFlow.js, for the tfjs runners (inference) and for training: every IR op
 * (packages/ir/src/ops.ts) maps to a tfjs implementation. Keyed by OpName, so an op added to the IR without a row
 * here fails the typecheck. Training's differences are options of the rows (NodeCtx.grads, RunCtx.training), not rows.
 */
import type { OpName } from '@mvbench/ir';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { float, int, ints, kernel, range, scalar, str, type NodeCtx, type OpImpl, type Policy, type TF } from './kernel.ts';
import { permute, physAxis, QINV, TO_NHWC } from './layout.ts';
import { Conv, Gemm, MatMul } from './linear.ts';
import { split } from './split.ts';
import { BatchNormalization, groupNorm, InstanceNormalization, LayerNormalization, matchGroupNorm } from './norm.ts';

const unary = (f: (tf: TF, x: Tensor) => Tensor): OpImpl => ({
  layout: 'either',
  compile: (c, mode) => kernel(mode, [0], ([x]) => f(c.tf, x)),
});
const binary = (f: (tf: TF, a: Tensor, b: Tensor) => Tensor): OpImpl => ({
  layout: 'either',
  compile: (c, mode) => kernel(mode, [0, 1], ([a, b]) => f(c.tf, a, b)),
});
/** NHWC only for rank-4 inputs, and only when `ok` */
const rank4If = (ok: (c: NodeCtx) => boolean) => (c: NodeCtx): Policy =>
  c.shape(0).length === 4 && ok(c) ? 'either' : 'plain';

function reduce(f: (tf: TF, x: Tensor, axes: number[], keep: boolean) => Tensor, axesInput: boolean): OpImpl {
  const keep = (c: NodeCtx) => int(c.node.attrs, 'keepdims', 1) === 1;
  const axesOf = (c: NodeCtx): number[] | undefined => {
    if (!axesInput) return c.node.attrs.axes as number[] | undefined;
    return c.has(1) ? c.ints(1) ?? c.fail('axes must be a constant input') : undefined;
  };
  return {
    layout: rank4If(keep),
    compile(c, mode) {
      const rank = c.shape(0).length;
      const axes = axesOf(c) ?? [];
      if (!axes.length && axesInput && int(c.node.attrs, 'noop_with_empty_axes', 0) === 1) return { alias: 0 };
      const phys = (axes.length ? axes : range(0, rank)).map((a) => physAxis(a, rank, mode));
      return kernel(mode, [0], ([x]) => f(c.tf, x, phys, keep(c)));
    },
  };
}

const Softmax: OpImpl = {
  // NHWC only over channels, the last axis there; any other axis in the ONNX layout
  layout: rank4If((c) => physAxis(int(c.node.attrs, 'axis', -1), 4, 'nhwc') === 3),
  compile(c, mode) {
    const { tf } = c;
    const x = c.shape(0);
    const axis = physAxis(int(c.node.attrs, 'axis', -1), x.length, mode);
    if (mode === 'nhwc' || axis === x.length - 1) return kernel(mode, [0], ([t]) => tf.softmax(t));
    if (x.slice(axis + 1).every((d) => d === 1)) {
      const rows = [x.slice(0, axis).reduce((a, b) => a * b, 1), x[axis]];
      return kernel(mode, [0], ([t]) => tf.reshape(tf.softmax(tf.reshape(t, rows)), [...x]));
    }
    return kernel(mode, [0], ([t]) => {
      const e = tf.exp(tf.sub(t, tf.max(t, axis, true)));
      return tf.div(e, tf.sum(e, axis, true));
    });
  },
};

/** Transpose in NHWC: output axis j of the NHWC result is input axis QINV[perm[TO_NHWC[j]]] of the NHWC input */
const Transpose: OpImpl = {
  layout: rank4If(() => true),
  compile(c, mode) {
    const rank = c.shape(0).length;
    const perm = ints(c.node.attrs, 'perm', range(0, rank).reverse());
    const phys = mode === 'plain' ? perm : TO_NHWC.map((a) => QINV[perm[a]]);
    if (phys.every((a, i) => a === i)) return { alias: 0 };
    return kernel(mode, [0], ([x]) => permute(c.tf, x, phys));
  },
};

const reshape: OpImpl = { layout: 'plain', compile: (c) => kernel('plain', [0], ([x]) => c.tf.reshape(x, [...c.out()])) };

/**
 * Resize of H and W as tf.image ops on NHWC. tfjs' nearest picks floor(i * in/out) (asymmetric) or
 * floor((i + 0.5) * in/out) (half pixel): ONNX's floor and round_prefer_ceil rounding, and round_prefer_floor too
 * when every output size is a multiple of the input's (no ties).
 */
const Resize: OpImpl = {
  layout: 'nhwc',
  compile(c) {
    const { tf, node } = c;
    const [x, out] = [c.shape(0), c.out()];
    if (x.length !== 4 || x[0] !== out[0] || x[1] !== out[1]) return c.fail('only resizes of the two spatial axes of NCHW');
    const mode = str(node.attrs, 'mode', 'nearest');
    const coords = str(node.attrs, 'coordinate_transformation_mode', 'half_pixel');
    const rounding = str(node.attrs, 'nearest_mode', 'round_prefer_floor');
    const size: [number, number] = [out[2], out[3]];
    const half = coords === 'half_pixel' || (coords === 'pytorch_half_pixel' && !size.includes(1));
    if (mode === 'linear' && (half || coords === 'align_corners' || coords === 'asymmetric'))
      return kernel('nhwc', [0], ([t]) => tf.image.resizeBilinear(t as Tensor4D, size, coords === 'align_corners', half));
    const noTies = out[2] % x[2] === 0 && out[3] % x[3] === 0;
    const nearest = (coords === 'asymmetric' && rounding === 'floor') || (half && (rounding === 'round_prefer_ceil' || noTies));
    if (mode === 'nearest' && nearest)
      return kernel('nhwc', [0], ([t]) => tf.image.resizeNearestNeighbor(t as Tensor4D, size, false, half));
    return c.fail(`mode '${mode}', coordinate_transformation_mode '${coords}', nearest_mode '${rounding}' ` +
      `from [${x}] to [${out}] has no exact tfjs equivalent`);
  },
};

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
      if (e === 2) return kernel(mode, [0], ([a]) => tf.square(a));
      if (e === 0.5) return kernel(mode, [0], ([a]) => tf.sqrt(a));
      return kernel(mode, [0], ([a]) => tf.pow(a, e));
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
      const [alpha, beta] = [float(c.node.attrs, 'alpha', 0.2), float(c.node.attrs, 'beta', 0.5)];
      return kernel(mode, [0], ([x]) => c.tf.clipByValue(c.tf.add(c.tf.mul(x, alpha), beta), 0, 1));
    },
  },
  Clip: {
    layout: 'either',
    compile(c, mode) {
      const [lo, hi] = [1, 2].map((i) => (c.has(i) ? scalar(c.data(i)) ?? c.fail(`input ${i} must be a constant scalar`) : undefined));
      if (lo === 0 && hi === 6) return kernel(mode, [0], ([x]) => c.tf.relu6(x));
      return kernel(mode, [0], ([x]) => c.tf.clipByValue(x, lo ?? -Infinity, hi ?? Infinity));
    },
  },
  Softmax,
  ReduceSum: reduce((tf, x, axes, keep) => tf.sum(x, axes, keep), true),
  ReduceMean: reduce((tf, x, axes, keep) => tf.mean(x, axes, keep), false),
  ReduceL2: reduce((tf, x, axes, keep) => tf.sqrt(tf.sum(tf.square(x), axes, keep)), false),
  GlobalAveragePool: {
    layout: rank4If(() => true),
    compile: (c, mode) => {
      const axes = mode === 'nhwc' ? [1, 2] : range(2, c.shape(0).length);
      return kernel(mode, [0], ([x]) => c.tf.mean(x, axes, true));
    },
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
      const axis = physAxis(int(c.node.attrs, 'axis', 0), c.shape(0).length, mode);
      return kernel(mode, range(0, c.node.inputs.length), (xs) => c.tf.concat(xs, axis));
    },
  },
  Split: {
    layout: rank4If(() => true),
    compile(c, mode) {
      const axis = physAxis(int(c.node.attrs, 'axis', 0), c.shape(0).length, mode);
      const sizes = c.ints(1) ?? c.fail('split sizes must be a constant input');
      // the wasm heap split has no gradient: training takes tfjs' own
      return kernel(mode, [0], ([x]) => (c.grads ? c.tf.split(x, sizes, axis) : split(c.tf, x, sizes, axis)));
    },
  },
  Resize,
};
