/** Test helpers: a graph run by onnxruntime-node (the reference for eval-mode logits), and tensor comparisons. */
import type { Graph } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';

let runner: ReturnType<typeof createOrtNodeRunner> | undefined;

export async function ortLogits(graph: Graph, input: Float32Array): Promise<Float32Array> {
  runner ??= createOrtNodeRunner();
  const tensor = (v: { name: string; shape: readonly number[] }) => ({ name: v.name, shape: [...v.shape], dtype: 'float32' as const });
  const artifact = { id: graph.name, onnx: toOnnx(graph), inputs: graph.inputs.map(tensor), outputs: graph.outputs.map(tensor), ops: [] };
  // optimisations off: the reference is the graph as written
  const p = await runner.prepare(artifact, { threads: 1, graphOptimization: 'disabled' });
  const out = await runner.run(p, { [graph.inputs[0].name]: input });
  await runner.dispose(p);
  return out[graph.outputs[0].name].data;
}

export const disposeOrt = async () => runner?.dispose();
export const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
export const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
