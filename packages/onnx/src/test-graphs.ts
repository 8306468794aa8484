/**
 * Small hand-built IR graphs for the tests, each with feeds and its expected outputs computed here in plain JS
 * (loops over float64, independent of onnxruntime and of the emitter).
 */
import { inferShapes, materialize, type Attrs, type Graph, type Initializer, type InitSpec, type OpName, type Shape } from '@mvbench/ir';

export interface Case {
  graph: Graph;
  feeds: Record<string, { data: Float32Array; dims: Shape }>;
  expected: Record<string, { data: Float64Array; dims: Shape }>;
}

function random(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 * scale - scale;
  });
}

export const param = (name: string, dims: Shape, init: InitSpec, role: Initializer['role'] = 'param'): Initializer => ({
  name,
  dtype: 'float32',
  dims,
  role,
  init,
});

export const int64s = (name: string, values: number[]): Initializer => ({
  name,
  dtype: 'int64',
  dims: [values.length],
  role: 'const',
  init: { kind: 'data', data: BigInt64Array.from(values, BigInt) },
});

export const node = (op: OpName, name: string, inputs: string[], outputs: string[], attrs: Attrs = {}) => ({
  op,
  name,
  inputs,
  outputs,
  attrs,
});

export function makeGraph(
  name: string,
  inputs: Record<string, Shape>,
  inits: Initializer[],
  nodes: ReturnType<typeof node>[],
  outputs: string[],
): Graph {
  return inferShapes({
    name,
    inputs: Object.entries(inputs).map(([n, shape]) => ({ name: n, dtype: 'float32', shape })),
    outputs: outputs.map((n) => ({ name: n, dtype: 'float32', shape: [] })),
    nodes,
    initializers: new Map(inits.map((i) => [i.name, i])),
    values: new Map(),
    seed: 7,
  });
}

const values = (g: Graph, name: string): Float64Array =>
  Float64Array.from(materialize(g.initializers.get(name)!, g.seed) as Float32Array);
const out = (data: ArrayLike<number>, dims: Shape) => ({ data: Float64Array.from(data), dims });

function convBnRelu(): Case {
  const g = makeGraph(
    'conv_bn_relu',
    { x: [1, 4, 6, 6] },
    [
      param('w', [4, 2, 3, 3], { kind: 'trunc_normal', std: 0.5 }),
      param('b', [4], { kind: 'normal', std: 0.1 }),
      param('scale', [4], { kind: 'uniform', low: 0.5, high: 1.5 }),
      param('shift', [4], { kind: 'normal', std: 0.1 }),
      param('mean', [4], { kind: 'normal', std: 0.1 }, 'buffer'),
      param('var', [4], { kind: 'uniform', low: 0.5, high: 1.5 }, 'buffer'),
    ],
    [
      node('Conv', 'conv', ['x', 'w', 'b'], ['c'], {
        kernel_shape: [3, 3],
        strides: [2, 2],
        pads: [1, 1, 1, 1],
        dilations: [1, 1],
        group: 2,
      }),
      node('BatchNormalization', 'bn', ['c', 'scale', 'shift', 'mean', 'var'], ['n'], { epsilon: 1e-5, momentum: 0.9 }),
      node('Relu', 'relu', ['n'], ['y']),
    ],
    ['y'],
  );
  const x = random(144, 1);
  const [w, b, scale, shift, mean, vr] = ['w', 'b', 'scale', 'shift', 'mean', 'var'].map((n) => values(g, n));
  const y = new Float64Array(4 * 3 * 3);
  for (let co = 0; co < 4; co++) {
    const group = Math.floor(co / 2);
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++) {
        let acc = b[co];
        for (let ci = 0; ci < 2; ci++)
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * 2 - 1 + ky,
                ix = ox * 2 - 1 + kx;
              if (iy < 0 || iy >= 6 || ix < 0 || ix >= 6) continue;
              acc += x[((group * 2 + ci) * 6 + iy) * 6 + ix] * w[((co * 2 + ci) * 3 + ky) * 3 + kx];
            }
        const bn = ((acc - mean[co]) / Math.sqrt(vr[co] + 1e-5)) * scale[co] + shift[co];
        y[(co * 3 + oy) * 3 + ox] = Math.max(0, bn);
      }
  }
  return { graph: g, feeds: { x: { data: x, dims: [1, 4, 6, 6] } }, expected: { y: out(y, [1, 4, 3, 3]) } };
}

function matmulAdd(): Case {
  const w = random(20, 2);
  const g = makeGraph(
    'matmul_add',
    { x: [2, 3, 4] },
    [param('w', [4, 5], { kind: 'data', data: w }), param('b', [5], { kind: 'fill', value: 0.25 })],
    [node('MatMul', 'mm', ['x', 'w'], ['h']), node('Add', 'add', ['h', 'b'], ['y'])],
    ['y'],
  );
  const x = random(24, 3);
  const y = new Float64Array(30);
  for (let r = 0; r < 6; r++)
    for (let n = 0; n < 5; n++) {
      let acc = 0;
      for (let k = 0; k < 4; k++) acc += x[r * 4 + k] * w[k * 5 + n];
      y[r * 5 + n] = acc + 0.25;
    }
  return { graph: g, feeds: { x: { data: x, dims: [2, 3, 4] } }, expected: { y: out(y, [2, 3, 5]) } };
}

function reshapeTranspose(): Case {
  const g = makeGraph(
    'reshape_transpose',
    { x: [2, 6] },
    [int64s('shape', [0, 3, -1])],
    [
      node('Reshape', 'reshape', ['x', 'shape'], ['r']),
      node('Transpose', 'transpose', ['r'], ['y'], { perm: [0, 2, 1] }),
    ],
    ['y'],
  );
  const x = random(12, 4);
  const y = new Float64Array(12);
  // r[a][b][c] = x[a*6 + b*2 + c]; y[a][c][b] = r[a][b][c]
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 3; b++) for (let c = 0; c < 2; c++) y[a * 6 + c * 3 + b] = x[a * 6 + b * 2 + c];
  return { graph: g, feeds: { x: { data: x, dims: [2, 6] } }, expected: { y: out(y, [2, 2, 3]) } };
}

function layerNorm(): Case {
  const g = makeGraph(
    'layer_norm',
    { x: [2, 3, 8] },
    [param('gamma', [8], { kind: 'normal', std: 0.2, mean: 1 }), param('beta', [8], { kind: 'normal', std: 0.1 })],
    [node('LayerNormalization', 'ln', ['x', 'gamma', 'beta'], ['y'], { axis: -1, epsilon: 1e-5 })],
    ['y'],
  );
  const x = random(48, 5, 3);
  const [gamma, beta] = [values(g, 'gamma'), values(g, 'beta')];
  const y = new Float64Array(48);
  for (let r = 0; r < 6; r++) {
    const row = Array.from(x.subarray(r * 8, r * 8 + 8));
    const mu = row.reduce((a, v) => a + v, 0) / 8;
    const v = row.reduce((a, t) => a + (t - mu) ** 2, 0) / 8;
    row.forEach((t, i) => (y[r * 8 + i] = ((t - mu) / Math.sqrt(v + 1e-5)) * gamma[i] + beta[i]));
  }
  return { graph: g, feeds: { x: { data: x, dims: [2, 3, 8] } }, expected: { y: out(y, [2, 3, 8]) } };
}

function split3(): Case {
  const g = makeGraph(
    'split3',
    { x: [2, 7] },
    [int64s('sizes', [2, 3, 2])],
    [node('Split', 'split', ['x', 'sizes'], ['a', 'b', 'c'], { axis: 1 })],
    ['a', 'b', 'c'],
  );
  const x = random(14, 6);
  const cols = (from: number, to: number) => [0, 1].flatMap((r) => Array.from(x.subarray(r * 7 + from, r * 7 + to)));
  return {
    graph: g,
    feeds: { x: { data: x, dims: [2, 7] } },
    expected: { a: out(cols(0, 2), [2, 2]), b: out(cols(2, 5), [2, 3]), c: out(cols(5, 7), [2, 2]) },
  };
}

function softmax(): Case {
  const g = makeGraph('softmax', { x: [3, 5] }, [], [node('Softmax', 'softmax', ['x'], ['y'], { axis: -1 })], ['y']);
  const x = random(15, 7, 4);
  const y = new Float64Array(15);
  for (let r = 0; r < 3; r++) {
    const row = Array.from(x.subarray(r * 5, r * 5 + 5));
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    row.forEach((v, i) => (y[r * 5 + i] = Math.exp(v - m) / s));
  }
  return { graph: g, feeds: { x: { data: x, dims: [3, 5] } }, expected: { y: out(y, [3, 5]) } };
}

function reduceSum(): Case {
  const g = makeGraph(
    'reduce_sum',
    { x: [2, 3, 4] },
    [int64s('axes', [1])],
    [node('ReduceSum', 'sum', ['x', 'axes'], ['y'], { keepdims: 0 })],
    ['y'],
  );
  const x = random(24, 8);
  const y = new Float64Array(8);
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) y[a * 4 + c] += x[(a * 3 + b) * 4 + c];
  return { graph: g, feeds: { x: { data: x, dims: [2, 3, 4] } }, expected: { y: out(y, [2, 4]) } };
}

function gapFlattenGemm(): Case {
  const g = makeGraph(
    'gap_flatten_gemm',
    { x: [1, 4, 3, 3] },
    [param('fc_w', [5, 4], { kind: 'normal', std: 0.5 }), param('fc_b', [5], { kind: 'normal', std: 0.1 })],
    [
      node('GlobalAveragePool', 'gap', ['x'], ['p']),
      node('Flatten', 'flatten', ['p'], ['f'], { axis: 1 }),
      // alpha and beta hold integral values: they must still be written as FLOAT attributes
      node('Gemm', 'fc', ['f', 'fc_w', 'fc_b'], ['y'], { alpha: 2, beta: 1, transB: 1 }),
    ],
    ['y'],
  );
  const x = random(36, 9);
  const [w, b] = [values(g, 'fc_w'), values(g, 'fc_b')];
  const pooled = [0, 1, 2, 3].map((c) => x.subarray(c * 9, c * 9 + 9).reduce((a, v) => a + v, 0) / 9);
  const y = [0, 1, 2, 3, 4].map((n) => 2 * pooled.reduce((a, p, k) => a + p * w[n * 4 + k], 0) + b[n]);
  return { graph: g, feeds: { x: { data: x, dims: [1, 4, 3, 3] } }, expected: { y: out(y, [1, 5]) } };
}

function resizeNearest(): Case {
  const g = makeGraph(
    'resize_nearest',
    { x: [1, 1, 2, 3] },
    [int64s('sizes', [1, 1, 4, 6])],
    [
      node('Resize', 'resize', ['x', '', '', 'sizes'], ['y'], {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      }),
    ],
    ['y'],
  );
  const x = random(6, 10);
  const y = Array.from({ length: 24 }, (_, i) => x[Math.floor(Math.floor(i / 6) / 2) * 3 + Math.floor((i % 6) / 2)]);
  return { graph: g, feeds: { x: { data: x, dims: [1, 1, 2, 3] } }, expected: { y: out(y, [1, 1, 4, 6]) } };
}

export const cases = (): Case[] => [
  convBnRelu(),
  matmulAdd(),
  reshapeTranspose(),
  layerNorm(),
  split3(),
  softmax(),
  reduceSum(),
  gapFlattenGemm(),
  resizeNearest(),
];
