/**
 * The compiler's own paths, which single-op conformance cases (packages/conformance) never reach: ops running on
 * NHWC activations after a Conv, fusions, grouped and runtime-weight convolutions, batched MatMuls, rank-5/6
 * transposes. Each case is a small graph compared with onnxruntime-node on the same bytes and feeds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, type Value } from '@mvbench/dsl';
import type { InitSpec } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { artifactOf } from '@mvbench/pipeline';
import { fixtureInput } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { createTfjsRunner } from './index.ts';

interface Case {
  name: string;
  inputs: Record<string, number[]>;
  build(b: GraphBuilder, x: Value[]): Value | Value[];
  /** expected counts in settingsUsed (nodes absorbed by fusion, real layout transposes) */
  expect?: { absorbed?: number; transposes?: number };
}

const u = (low = -1, high = 1): InitSpec => ({ kind: 'uniform', low, high });
let n = 0;
const p = (b: GraphBuilder, dims: number[], init: InitSpec = u()) => b.param(`p${n++}`, dims, init);
const conv = (b: GraphBuilder, x: Value, out: number, k = 1, attrs: Record<string, number | number[]> = {}) =>
  b.op.Conv([x, p(b, [out, x.shape[1] / ((attrs.group as number) ?? 1), k, k], u(-0.5, 0.5)), p(b, [out])], {
    kernel_shape: [k, k],
    pads: Array(4).fill((k - 1) / 2),
    ...attrs,
  });
const bn = (b: GraphBuilder, x: Value) => {
  const c = x.shape[1];
  return b.op.BatchNormalization([x, p(b, [c]), p(b, [c]), p(b, [c]), p(b, [c], u(0.5, 1.5))], { epsilon: 1e-5 });
};
/** x [1, 4, 6, 6] through a 1x1 Conv, so the op under test reads an NHWC activation */
const afterConv = (name: string, f: (b: GraphBuilder, y: Value) => Value | Value[], expect?: Case['expect']): Case => ({
  name: `Conv -> ${name}`,
  inputs: { x: [1, 4, 6, 6] },
  build: (b, [x]) => f(b, conv(b, x, 4)),
  expect,
});

const CASES: Case[] = [
  { name: 'Conv + BN + Relu fused', inputs: { x: [1, 3, 8, 8] }, build: (b, [x]) => b.op.Relu([bn(b, conv(b, x, 6, 3))]), expect: { absorbed: 2 } },
  { name: 'Conv + BN + Clip(0,6) fused', inputs: { x: [1, 3, 8, 8] }, build: (b, [x]) => b.op.Clip([bn(b, conv(b, x, 6, 3)), b.floats([0]), b.floats([6])]), expect: { absorbed: 2 } },
  { name: 'Conv + Sigmoid fused', inputs: { x: [1, 3, 8, 8] }, build: (b, [x]) => b.op.Sigmoid([conv(b, x, 5, 3)]), expect: { absorbed: 1 } },
  { name: 'SiLU is not fused', inputs: { x: [1, 3, 8, 8] }, build: (b, [x]) => { const y = conv(b, x, 5); return b.op.Mul([y, b.op.Sigmoid([y])]); }, expect: { absorbed: 0 } },
  { name: 'grouped Conv (group 2)', inputs: { x: [1, 4, 7, 7] }, build: (b, [x]) => conv(b, x, 6, 3, { group: 2 }) },
  { name: 'depthwise Conv, multiplier 2, stride 2', inputs: { x: [1, 4, 9, 9] }, build: (b, [x]) => conv(b, x, 8, 3, { group: 4, strides: [2, 2] }) },
  { name: 'Conv asymmetric pads, dilation 2', inputs: { x: [1, 3, 9, 9] }, build: (b, [x]) => conv(b, x, 4, 3, { pads: [0, 1, 2, 1], dilations: [2, 2] }) },
  {
    name: 'Conv with runtime weights',
    inputs: { x: [1, 4, 6, 6], w: [4, 1, 3, 3] },
    build: (b, [x, w]) => b.op.Conv([x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 4 }),
  },
  afterConv('Softmax over channels (NHWC)', (b, y) => b.op.Softmax([y], { axis: 1 }), { transposes: 2 }),
  afterConv('Softmax last axis', (b, y) => b.op.Softmax([y], { axis: -1 })),
  afterConv('ReduceSum [2,3] keepdims', (b, y) => b.op.ReduceSum([y, b.ints([2, 3])], { keepdims: 1 })),
  afterConv('ReduceMean no keepdims', (b, y) => b.op.ReduceMean([y], { axes: [1], keepdims: 0 })),
  afterConv('ReduceL2 over channels', (b, y) => b.op.ReduceL2([y], { axes: [1], keepdims: 1 })),
  afterConv('GlobalAveragePool, Flatten, Gemm', (b, y) => b.op.Gemm([b.op.Flatten([b.op.GlobalAveragePool([y])], { axis: 1 }), p(b, [4, 3]), p(b, [3])]), { transposes: 1 }),
  afterConv('Concat channels with a second Conv', (b, y) => b.op.Concat([y, conv(b, y, 2)], { axis: 1 })),
  afterConv('Split channels', (b, y) => b.node('Split', [y, b.ints([1, 3])], { axis: 1 }, 2)),
  afterConv('Transpose', (b, y) => b.op.Transpose([y], { perm: [0, 3, 1, 2] })),
  afterConv('Add [C,1,1], Mul [1], Div, Pow 2', (b, y) =>
    b.op.Pow([b.op.Div([b.op.Mul([b.op.Add([y, p(b, [4, 1, 1])]), p(b, [1])]), p(b, [4, 1, 1], u(0.5, 2))]), b.floats([2])])),
  { name: 'Conv -> Mul by a rank-3 input', inputs: { x: [1, 4, 6, 6], s: [4, 1, 6] }, build: (b, [x, s]) => b.op.Mul([conv(b, x, 4), s]) },
  afterConv('HardSigmoid, Tanh, Erf, Sqrt', (b, y) => b.op.Sqrt([b.op.Add([b.op.Erf([b.op.Tanh([b.op.HardSigmoid([y], { alpha: 0.3, beta: 0.4 })])]), b.floats([1])])])),
  afterConv('BatchNormalization (not after a Conv)', (b, y) => bn(b, b.op.Relu([y]))),
  afterConv('InstanceNormalization', (b, y) => b.op.InstanceNormalization([y, p(b, [4]), p(b, [4])], { epsilon: 1e-5 })),
  afterConv('LayerNormalization axis 1 (NHWC)', (b, y) => b.op.LayerNormalization([y, p(b, [4, 6, 6]), p(b, [4, 6, 6])], { axis: 1, epsilon: 1e-5 }), { transposes: 2 }),
  afterConv('LayerNormalization last axis', (b, y) => b.op.LayerNormalization([y, p(b, [6]), p(b, [6])], { axis: -1, epsilon: 1e-5 })),
  afterConv('GroupNorm(1) as Reshape, InstanceNormalization, Reshape', (b, y) =>
    b.op.Reshape([b.op.InstanceNormalization([b.op.Reshape([y, b.ints([1, 1, -1])]), p(b, [1]), p(b, [1])], { epsilon: 1e-5 }), b.ints([1, 4, 6, 6])]), { absorbed: 2, transposes: 2 }),
  afterConv('Resize linear x2', (b, y) => b.op.Resize([y, undefined, undefined, b.ints([1, 4, 12, 12])], { mode: 'linear' })),
  afterConv('Resize nearest asymmetric floor 6 -> 9', (b, y) =>
    b.op.Resize([y, undefined, undefined, b.ints([1, 4, 9, 9])], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' })),
  afterConv('Resize nearest half_pixel x3', (b, y) => b.op.Resize([y, undefined, undefined, b.ints([1, 4, 18, 18])], { mode: 'nearest' })),
  { name: 'MatMul + bias Add fused', inputs: { x: [2, 5, 8] }, build: (b, [x]) => b.op.Add([p(b, [6]), b.op.MatMul([x, p(b, [8, 6])])]), expect: { absorbed: 1 } },
  { name: 'MatMul + Add of a column [4,1] is not a bias', inputs: { x: [4, 4] }, build: (b, [x]) => b.op.Add([b.op.MatMul([x, p(b, [4, 4])]), p(b, [4, 1])]), expect: { absorbed: 0 } },
  { name: 'Gemm with C [M,1], M = N', inputs: { x: [4, 5] }, build: (b, [x]) => b.op.Gemm([x, p(b, [5, 4]), p(b, [4, 1])]) },
  { name: 'MatMul batched, broadcast batch', inputs: { a: [2, 1, 4, 5], c: [3, 5, 6] }, build: (b, [x, y]) => b.op.MatMul([x, y]) },
  { name: 'MatMul rank-2 by batched', inputs: { a: [4, 5], c: [2, 5, 3] }, build: (b, [x, y]) => b.op.MatMul([x, y]) },
  { name: 'Gemm alpha, beta, matrix C', inputs: { x: [3, 5] }, build: (b, [x]) => b.op.Gemm([x, p(b, [5, 4]), p(b, [3, 4])], { alpha: 0.5, beta: 2 }) },
  { name: 'Gemm runtime B, transposes, alpha', inputs: { x: [5, 3], w: [4, 5] }, build: (b, [x, w]) => b.op.Gemm([x, w, p(b, [4])], { transA: 1, transB: 1, alpha: 1.5 }) },
  { name: 'Transpose rank 5 (MobileViT qkv)', inputs: { x: [4, 16, 3, 2, 8] }, build: (b, [x]) => b.op.Transpose([x], { perm: [2, 0, 3, 1, 4] }) },
  { name: 'Transpose rank 6 (unfold)', inputs: { x: [1, 8, 4, 2, 4, 2] }, build: (b, [x]) => b.op.Transpose([x], { perm: [0, 3, 5, 2, 4, 1] }) },
];

const ort = createOrtNodeRunner();
const tfjs = createTfjsRunner('wasm');
afterAll(() => Promise.all([ort.dispose(), tfjs.dispose()]));

async function compare(c: Case) {
  const b = new GraphBuilder(c.name, 3);
  const names = Object.keys(c.inputs);
  [c.build(b, names.map((k) => b.input(k, c.inputs[k])))].flat().forEach((y, i) => b.output(y, `y${i}`));
  const graph = b.finish();
  const model = artifactOf(c.name, graph, toOnnx(graph));
  const feeds = Object.fromEntries(names.map((k, i) => [k, fixtureInput(c.inputs[k], 99 + i)]));
  const [po, pt] = await Promise.all([ort.prepare(model, { threads: 1 }), tfjs.prepare(model, { threads: 1 })]);
  const [want, got] = [await ort.run(po, feeds), await tfjs.run(pt, feeds)];
  for (const [name, ref] of Object.entries(want)) {
    expect(got[name].shape, name).toEqual(ref.shape);
    const scale = ref.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = ref.data.reduce((m, v, i) => Math.max(m, Math.abs(v - got[name].data[i])), 0);
    expect(diff, `${name}: max |diff| vs max |ref| ${scale}`).toBeLessThanOrEqual(1e-5 * scale);
  }
  return pt.settingsUsed;
}

describe('tfjs:wasm compiler paths against onnxruntime-node (1e-5 of max |ref|)', () => {
  for (const c of CASES)
    it(c.name, async () => {
      const used = await compare(c);
      if (c.expect) expect(used).toMatchObject(c.expect);
    });

  it('a mean over 262144 values is as exact as onnxruntime (two-level sum)', async () => {
    const used = await compare({
      name: 'big LayerNormalization',
      inputs: { x: [1, 64, 64, 64] },
      build: (b, [x]) => b.op.LayerNormalization([b.op.Add([conv(b, x, 64), b.floats([3])]), p(b, [1]), p(b, [1])], { axis: 1, epsilon: 1e-5 }),
    });
    expect(used.transposes).toBe(2); // in and out: the norm runs on NHWC
  });
});
