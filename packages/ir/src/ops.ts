/**
 * The one op table. Every op the IR knows is a row here: its ONNX name, its attribute types (so serialisers
 * know int from float), shape inference and its MAC count. Adding an op means adding one row.
 *
 * MAC convention (../shared/reference/architectures.md): only convolutions and matrix products count.
 */
import { MvbenchError, userError } from '@mvbench/core';
import { numel, shapeString, type Attrs, type DType, type Shape } from './graph.ts';

export type AttrType = 'int' | 'ints' | 'float' | 'floats' | 'string';

export interface InferContext {
  op: OpName;
  node: string;
  inputs: readonly Shape[];
  /** values of constant int64 inputs (Reshape shape, Split sizes, axes), undefined when not constant */
  constant(i: number): number[] | undefined;
  attrs: Attrs;
  inputDtypes: readonly DType[];
}

export interface OpDef {
  attrs: Readonly<Record<string, AttrType>>;
  /** minimum and maximum number of inputs (optional trailing inputs allowed) */
  arity: readonly [number, number];
  infer(ctx: InferContext): Shape[];
  /** multiply-accumulates, given input and output shapes */
  macs?(inputs: readonly Shape[], outputs: readonly Shape[], attrs: Attrs): number;
  outputDtype?: DType;
}

const fail = (ctx: InferContext, what: string): never => {
  throw new MvbenchError(
    'SHAPE_MISMATCH',
    `${ctx.op} node '${ctx.node}': ${what} (input shapes ${ctx.inputs.map(shapeString).join(', ')})`,
  );
};

/** numpy-style broadcasting of any number of shapes */
export function broadcast(ctx: InferContext, shapes: readonly Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) fail(ctx, 'shapes do not broadcast');
      d = v;
    }
    out.push(d);
  }
  return out;
}

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const ints = (a: Attrs, k: string, dflt: readonly number[]): readonly number[] =>
  (a[k] as readonly number[] | undefined) ?? dflt;
const int = (a: Attrs, k: string, dflt: number): number => (a[k] as number | undefined) ?? dflt;

const elementwise: OpDef = { attrs: {}, arity: [1, 1], infer: (c) => [c.inputs[0]] };
const binary: OpDef = { attrs: {}, arity: [2, 2], infer: (c) => [broadcast(c, c.inputs)] };

function reduce(axesFromInput: boolean): OpDef {
  return {
    attrs: axesFromInput ? { keepdims: 'int', noop_with_empty_axes: 'int' } : { axes: 'ints', keepdims: 'int' },
    arity: axesFromInput ? [1, 2] : [1, 1],
    infer(c) {
      const x = c.inputs[0];
      const axes = (axesFromInput ? c.constant(1) : (c.attrs.axes as number[] | undefined)) ?? x.map((_, i) => i);
      const set = new Set(axes.map((a) => normAxis(a, x.length)));
      const keep = int(c.attrs, 'keepdims', 1) === 1;
      return [x.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]))];
    },
  };
}

function matmulShape(c: InferContext, a: Shape, b: Shape): Shape {
  if (a.length < 2 || b.length < 2) fail(c, 'MatMul operands need rank >= 2');
  const [m, k] = a.slice(-2);
  const [k2, n] = b.slice(-2);
  if (k !== k2) fail(c, `inner dimensions differ (${k} vs ${k2})`);
  const batch = broadcast(c, [a.slice(0, -2), b.slice(0, -2)]);
  return [...batch, m, n];
}

export const OPS = {
  Conv: {
    attrs: { kernel_shape: 'ints', strides: 'ints', pads: 'ints', dilations: 'ints', group: 'int' },
    arity: [2, 3],
    infer(c) {
      const [x, w] = c.inputs;
      const g = int(c.attrs, 'group', 1);
      if (x.length !== 4 || w.length !== 4) fail(c, 'only 2-D convolutions (rank-4 input and weight)');
      if (x[1] !== w[1] * g) fail(c, `input channels ${x[1]} != weight in-channels ${w[1]} x group ${g}`);
      const s = ints(c.attrs, 'strides', [1, 1]);
      const p = ints(c.attrs, 'pads', [0, 0, 0, 0]);
      const d = ints(c.attrs, 'dilations', [1, 1]);
      const out = [0, 1].map((i) => Math.floor((x[2 + i] + p[i] + p[i + 2] - d[i] * (w[2 + i] - 1) - 1) / s[i]) + 1);
      if (out.some((o) => o < 1)) fail(c, 'output spatial size < 1');
      return [[x[0], w[0], out[0], out[1]]];
    },
    macs: (inputs, outputs) => {
      const w = inputs[1];
      return numel(outputs[0]) * w[1] * w[2] * w[3];
    },
  },
  BatchNormalization: {
    attrs: { epsilon: 'float', momentum: 'float' },
    arity: [5, 5],
    infer: (c) => [c.inputs[0]],
  },
  LayerNormalization: {
    attrs: { axis: 'int', epsilon: 'float', stash_type: 'int' },
    arity: [2, 3],
    infer: (c) => [c.inputs[0]],
  },
  InstanceNormalization: { attrs: { epsilon: 'float' }, arity: [3, 3], infer: (c) => [c.inputs[0]] },
  MatMul: {
    attrs: {},
    arity: [2, 2],
    infer: (c) => [matmulShape(c, c.inputs[0], c.inputs[1])],
    macs: (inputs, outputs) => numel(outputs[0]) * inputs[0][inputs[0].length - 1],
  },
  Gemm: {
    attrs: { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' },
    arity: [2, 3],
    infer(c) {
      const [a, b] = c.inputs;
      const ta = int(c.attrs, 'transA', 0), tb = int(c.attrs, 'transB', 0);
      const [m, k] = ta ? [a[1], a[0]] : [a[0], a[1]];
      const [k2, n] = tb ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== k2) fail(c, `inner dimensions differ (${k} vs ${k2})`);
      return [[m, n]];
    },
    macs: (inputs, outputs, attrs) => numel(outputs[0]) * inputs[0][int(attrs, 'transA', 0) ? 0 : 1],
  },
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Pow: binary,
  Relu: elementwise,
  Sigmoid: elementwise,
  Tanh: elementwise,
  Erf: elementwise,
  Sqrt: elementwise,
  Identity: elementwise,
  HardSigmoid: { attrs: { alpha: 'float', beta: 'float' }, arity: [1, 1], infer: (c) => [c.inputs[0]] },
  Clip: { attrs: {}, arity: [1, 3], infer: (c) => [c.inputs[0]] },
  Softmax: { attrs: { axis: 'int' }, arity: [1, 1], infer: (c) => [c.inputs[0]] },
  ReduceSum: reduce(true),
  ReduceMean: reduce(false),
  ReduceL2: reduce(false),
  GlobalAveragePool: {
    attrs: {},
    arity: [1, 1],
    infer: (c) => [[...c.inputs[0].slice(0, 2), ...c.inputs[0].slice(2).map(() => 1)]],
  },
  Flatten: {
    attrs: { axis: 'int' },
    arity: [1, 1],
    infer(c) {
      const x = c.inputs[0];
      const axis = normAxis(int(c.attrs, 'axis', 1), x.length);
      return [[numel(x.slice(0, axis)), numel(x.slice(axis))]];
    },
  },
  Reshape: {
    attrs: { allowzero: 'int' },
    arity: [2, 2],
    infer(c) {
      const x = c.inputs[0];
      const target = c.constant(1);
      if (!target) return fail(c, 'the target shape must be a constant');
      const out = target.map((d, i) => (d === 0 ? x[i] : d));
      const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const minus = out.filter((d) => d === -1).length;
      if (minus > 1) fail(c, 'at most one -1 in the target shape');
      const resolved = out.map((d) => (d === -1 ? numel(x) / known : d));
      if (numel(resolved) !== numel(x) || resolved.some((d) => !Number.isInteger(d)))
        fail(c, `cannot reshape ${numel(x)} elements to ${shapeString(target)}`);
      return [resolved];
    },
  },
  Transpose: {
    attrs: { perm: 'ints' },
    arity: [1, 1],
    infer(c) {
      const x = c.inputs[0];
      const perm = ints(c.attrs, 'perm', x.map((_, i) => x.length - 1 - i));
      if (perm.length !== x.length) fail(c, `perm ${shapeString(perm)} does not match the rank`);
      return [perm.map((p) => x[p])];
    },
  },
  Concat: {
    attrs: { axis: 'int' },
    arity: [1, 64],
    infer(c) {
      const axis = normAxis(int(c.attrs, 'axis', 0), c.inputs[0].length);
      const out = [...c.inputs[0]];
      for (const s of c.inputs.slice(1)) {
        if (s.length !== out.length || s.some((d, i) => i !== axis && d !== out[i])) fail(c, 'shapes differ off the axis');
        out[axis] += s[axis];
      }
      return [out];
    },
  },
  Split: {
    attrs: { axis: 'int', num_outputs: 'int' },
    arity: [1, 2],
    infer(c) {
      const x = c.inputs[0];
      const axis = normAxis(int(c.attrs, 'axis', 0), x.length);
      const sizes = c.constant(1);
      if (!sizes) return fail(c, 'split sizes must be a constant input');
      if (sizes.reduce((a, b) => a + b, 0) !== x[axis]) fail(c, `split sizes ${shapeString(sizes)} do not sum to ${x[axis]}`);
      return sizes.map((s) => x.map((d, i) => (i === axis ? s : d)));
    },
  },
  Resize: {
    attrs: { mode: 'string', coordinate_transformation_mode: 'string', nearest_mode: 'string' },
    arity: [1, 4],
    infer(c) {
      const sizes = c.constant(3);
      if (!sizes) return fail(c, 'Resize needs constant sizes (4th input)');
      return [sizes];
    },
  },
} satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];

export function opDef(op: string): OpDef {
  const def = (OPS as Record<string, OpDef>)[op];
  if (!def) throw userError('UNSUPPORTED_OP', `op '${op}' is not in the IR op table (known: ${OP_NAMES.join(', ')})`);
  return def;
}

export const isOpName = (op: string): op is OpName => op in OPS;
