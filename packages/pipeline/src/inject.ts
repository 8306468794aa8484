/**
 * A known slowdown for testing regression checks: `ops` extra Sigmoid nodes chained on the model input, reduced to
 * a scalar and added to the logits times zero. The logits are unchanged; the cost is `ops` element-wise passes
 * over the input tensor. onnxruntime neither folds nor removes the chain: it depends on the input, and nothing
 * in its optimisers drops a multiplication by zero.
 */
import { MvbenchError } from '@mvbench/core';
import { type Graph, type Node } from '@mvbench/ir';
import { inferShapes } from '@mvbench/ir';

export function injectSlowdown(graph: Graph, ops: number): Graph {
  if (!Number.isInteger(ops) || ops < 0) throw new MvbenchError('BAD_ARGUMENT', `inject-slowdown takes a whole number of ops >= 0, got ${ops}`);
  if (ops === 0) return graph;
  const input = graph.inputs[0].name;
  const output = graph.outputs[0];
  const nodes: Node[] = [];
  let prev = input;
  for (let i = 0; i < ops; i++) {
    const name = `injected_slowdown/Sigmoid_${i}`;
    nodes.push({ op: 'Sigmoid', name, inputs: [prev], outputs: [name], attrs: {} });
    prev = name;
  }
  const zero = 'injected_slowdown.zero';
  const initializers = new Map(graph.initializers);
  initializers.set(zero, { name: zero, dtype: 'float32', dims: [], role: 'const', init: { kind: 'data', data: new Float32Array([0]) } });
  const rename = `${output.name}.before_injection`;
  const producer = graph.nodes.map((n) => (n.outputs.includes(output.name) ? { ...n, outputs: n.outputs.map((o) => (o === output.name ? rename : o)) } : n));
  nodes.push(
    { op: 'ReduceMean', name: 'injected_slowdown/ReduceMean', inputs: [prev], outputs: ['injected_slowdown/mean'], attrs: { keepdims: 0 } },
    { op: 'Mul', name: 'injected_slowdown/Mul', inputs: ['injected_slowdown/mean', zero], outputs: ['injected_slowdown/zeroed'], attrs: {} },
    { op: 'Add', name: 'injected_slowdown/Add', inputs: [rename, 'injected_slowdown/zeroed'], outputs: [output.name], attrs: {} },
  );
  return inferShapes({ ...graph, initializers, nodes: [...producer, ...nodes], values: new Map() });
}
