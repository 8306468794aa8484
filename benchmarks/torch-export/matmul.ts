/** The machine's practical GFLOP/s: one 1024 x 1024 x 1024 MatMul (input times a constant), as an IR graph. */
import { inferShapes, type Graph } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import type { ModelArtifact } from '@mvbench/runner-core';

export const MATMUL_N = 1024;

export function matmulArtifact(): ModelArtifact {
  const n = MATMUL_N;
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const graph: Graph = inferShapes({
    name: 'matmul1024',
    inputs: [{ name: 'a', dtype: 'float32', shape: [n, n] }],
    outputs: [{ name: 'c', dtype: 'float32', shape: [n, n] }],
    nodes: [{ op: 'MatMul', name: 'MatMul', inputs: ['a', 'b'], outputs: ['c'], attrs: {} }],
    initializers: new Map([['b', { name: 'b', dtype: 'float32', dims: [n, n], role: 'const', init: { kind: 'data', data: b } }]]),
    values: new Map(),
    seed: 0,
  });
  const t = { dtype: 'float32' as const, shape: [n, n] };
  return { id: 'matmul1024', onnx: toOnnx(graph), inputs: [{ name: 'a', ...t }], outputs: [{ name: 'c', ...t }], ops: ['MatMul'] };
}
