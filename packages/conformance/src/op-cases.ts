/**
 * Op cases as data: one small graph per case, each built from a single op of the IR op table
 * (packages/ir/src/ops.ts) with seeded parameters, so a runner that lacks the op can say so by name in supports().
 * Every op of the table has at least one case (the suite checks). Inputs are fed seeded values in [-scale, scale),
 * or in [0.1, 0.1 + scale) with `positive` (Sqrt, Pow, divisors).
 */
import { GraphBuilder, type Value } from '@mvbench/dsl';
import type { InitSpec, OpName } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { artifactOf } from '@mvbench/pipeline';
import { fixtureInput, type Feeds, type ModelArtifact } from '@mvbench/runner-core';

export interface OpCase {
  name: string;
  op: OpName;
  inputs: Record<string, number[]>;
  scale?: number; // default 1
  positive?: boolean;
  build(b: GraphBuilder, x: Value[]): Value | Value[];
}

const u = (low = -1, high = 1): InitSpec => ({ kind: 'uniform', low, high });
const p = (b: GraphBuilder, name: string, dims: number[], init: InitSpec = u()) => b.param(name, dims, init);
const unary = (op: OpName, scale = 1, positive = false): OpCase => ({
  name: op,
  op,
  inputs: { x: [2, 3, 8] },
  scale,
  positive,
  build: (b, [x]) => b.op[op]([x]),
});
const binary = (op: OpName, shape: number[], positive = false): OpCase => ({
  name: `${op} broadcast [2,3,4] with [${shape}]`,
  op,
  inputs: { x: [2, 3, 4] },
  build: (b, [x]) => b.op[op]([x, p(b, 'w', shape, positive ? u(0.5, 2) : u())]),
});
const conv = (name: string, w: number[], attrs: Record<string, number[] | number>, bias = true): OpCase => ({
  name: `Conv ${name}`,
  op: 'Conv',
  inputs: { x: [1, 4, 9, 9] },
  build: (b, [x]) => b.op.Conv([x, p(b, 'w', w, u(-0.5, 0.5)), bias ? p(b, 'b', [w[0]]) : undefined], attrs),
});

export const OP_CASES: readonly OpCase[] = [
  conv('3x3 stride 2 pad 1', [6, 4, 3, 3], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  conv('depthwise 3x3', [4, 1, 3, 3], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 4 }),
  // the bias is an empty optional input (''), as every bias-free Conv the emitter writes
  conv('1x1 without bias', [8, 4, 1, 1], { kernel_shape: [1, 1] }, false),
  {
    name: 'BatchNormalization',
    op: 'BatchNormalization',
    inputs: { x: [1, 4, 5, 5] },
    build: (b, [x]) =>
      b.op.BatchNormalization([x, p(b, 'g', [4]), p(b, 'b', [4]), p(b, 'm', [4]), p(b, 'v', [4], u(0.5, 1.5))], { epsilon: 1e-5 }),
  },
  {
    name: 'LayerNormalization last axis',
    op: 'LayerNormalization',
    inputs: { x: [1, 6, 16] },
    build: (b, [x]) => b.op.LayerNormalization([x, p(b, 'g', [16]), p(b, 'b', [16])], { axis: -1, epsilon: 1e-5 }),
  },
  {
    name: 'InstanceNormalization',
    op: 'InstanceNormalization',
    inputs: { x: [1, 3, 4, 4] },
    build: (b, [x]) => b.op.InstanceNormalization([x, p(b, 'g', [3]), p(b, 'b', [3])], { epsilon: 1e-5 }),
  },
  { name: 'MatMul [2,5,7] x [7,3]', op: 'MatMul', inputs: { x: [2, 5, 7] }, build: (b, [x]) => b.op.MatMul([x, p(b, 'w', [7, 3])]) },
  { name: 'MatMul batched, two inputs', op: 'MatMul', inputs: { a: [1, 2, 4, 8], b: [1, 2, 8, 4] }, build: (b, [x, y]) => b.op.MatMul([x, y]) },
  {
    name: 'Gemm transB with bias',
    op: 'Gemm',
    inputs: { x: [3, 5] },
    build: (b, [x]) => b.op.Gemm([x, p(b, 'w', [4, 5]), p(b, 'c', [4])], { transB: 1 }),
  },
  binary('Add', [4]),
  binary('Sub', [3, 1]),
  { name: 'Mul, two inputs', op: 'Mul', inputs: { a: [2, 3, 4], b: [2, 3, 4] }, build: (b, [x, y]) => b.op.Mul([x, y]) },
  binary('Div', [1, 4], true),
  { name: 'Pow x^1.5', op: 'Pow', inputs: { x: [2, 3, 4] }, positive: true, scale: 3, build: (b, [x]) => b.op.Pow([x, b.floats([1.5])]) },
  unary('Relu'),
  unary('Sigmoid', 6),
  unary('Tanh', 3),
  unary('Erf', 3),
  unary('Sqrt', 4, true),
  unary('Identity'),
  { name: 'HardSigmoid', op: 'HardSigmoid', inputs: { x: [2, 3, 8] }, scale: 4, build: (b, [x]) => b.op.HardSigmoid([x], { alpha: 1 / 6, beta: 0.5 }) },
  { name: 'Clip 0..6', op: 'Clip', inputs: { x: [2, 3, 8] }, scale: 8, build: (b, [x]) => b.op.Clip([x, b.floats([0]), b.floats([6])]) },
  { name: 'Softmax last axis', op: 'Softmax', inputs: { x: [2, 3, 10] }, scale: 4, build: (b, [x]) => b.op.Softmax([x], { axis: -1 }) },
  { name: 'ReduceSum axes input', op: 'ReduceSum', inputs: { x: [2, 3, 4] }, build: (b, [x]) => b.op.ReduceSum([x, b.ints([1])], { keepdims: 1 }) },
  { name: 'ReduceMean no keepdims', op: 'ReduceMean', inputs: { x: [2, 3, 4] }, build: (b, [x]) => b.op.ReduceMean([x], { axes: [-1], keepdims: 0 }) },
  { name: 'ReduceL2', op: 'ReduceL2', inputs: { x: [1, 4, 6] }, build: (b, [x]) => b.op.ReduceL2([x], { axes: [1], keepdims: 1 }) },
  { name: 'GlobalAveragePool', op: 'GlobalAveragePool', inputs: { x: [1, 4, 5, 5] }, build: (b, [x]) => b.op.GlobalAveragePool([x]) },
  { name: 'Flatten', op: 'Flatten', inputs: { x: [1, 4, 2, 2] }, build: (b, [x]) => b.op.Flatten([x], { axis: 1 }) },
  { name: 'Reshape', op: 'Reshape', inputs: { x: [1, 4, 6] }, build: (b, [x]) => b.op.Reshape([x, b.ints([1, 2, -1])]) },
  { name: 'Transpose NCHW->NHWC', op: 'Transpose', inputs: { x: [1, 2, 3, 4] }, build: (b, [x]) => b.op.Transpose([x], { perm: [0, 2, 3, 1] }) },
  { name: 'Concat', op: 'Concat', inputs: { a: [1, 2, 3], b: [1, 4, 3] }, build: (b, [x, y]) => b.op.Concat([x, y], { axis: 1 }) },
  { name: 'Split two outputs', op: 'Split', inputs: { x: [1, 5, 4] }, build: (b, [x]) => b.node('Split', [x, b.ints([2, 3])], { axis: 1 }, 2) },
  ...(['nearest', 'linear'] as const).map(
    (mode): OpCase => ({
      name: `Resize ${mode} x2`,
      op: 'Resize',
      inputs: { x: [1, 2, 4, 4] },
      build: (b, [x]) => b.op.Resize([x, undefined, undefined, b.ints([1, 2, 8, 8])], { mode }),
    }),
  ),
];

/** the case as the artifact runners take, and its seeded feeds */
export function opCaseModel(c: OpCase): { artifact: ModelArtifact; feeds: Feeds } {
  const b = new GraphBuilder(`op case ${c.name}`, 7);
  const names = Object.keys(c.inputs);
  const ys = [c.build(b, names.map((n) => b.input(n, c.inputs[n])))].flat();
  ys.forEach((y, i) => b.output(y, `y${i}`));
  const graph = b.finish();
  const scale = c.scale ?? 1;
  const feeds = Object.fromEntries(
    names.map((n, i) => [n, fixtureInput(c.inputs[n], 1000 + i).map((v) => (c.positive ? 0.1 + ((v + 1) / 2) * scale : v * scale))]),
  );
  return { artifact: artifactOf(`op:${c.name}`, graph, toOnnx(graph)), feeds };
}
