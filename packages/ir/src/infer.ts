/**
 * Shape inference and validation over a whole graph, driven by the op table. The builder infers eagerly,
 * node by node; this pass re-derives everything (after parsing ONNX, after rewrites) and checks the graph is
 * well formed: known ops, defined inputs, single assignment, declared outputs present.
 */
import { MvbenchError } from '@mvbench/core';
import type { Graph, Node, Shape, ValueInfo } from './graph.ts';
import { opDef, type InferContext } from './ops.ts';
import { shapeString } from './graph.ts';

export function constantInts(graph: Pick<Graph, 'initializers'>, name: string): number[] | undefined {
  const init = graph.initializers.get(name);
  if (!init || init.dtype !== 'int64' || init.init.kind !== 'data') return undefined;
  return Array.from(init.init.data as BigInt64Array, Number);
}

/** infers the output shapes of one node from the shapes already in `values` */
export function inferNode(graph: Pick<Graph, 'initializers'>, values: Map<string, ValueInfo>, node: Node): ValueInfo[] {
  const def = opDef(node.op);
  const present = node.inputs.filter((i) => i !== '');
  if (node.inputs.length < def.arity[0] || node.inputs.length > def.arity[1])
    throw new MvbenchError(
      'INVALID_GRAPH',
      `${node.op} node '${node.name}' has ${node.inputs.length} inputs, expected ${def.arity[0]}..${def.arity[1]}`,
    );
  const shapes: Shape[] = [];
  for (const name of present) {
    const v = values.get(name);
    if (!v) throw new MvbenchError('INVALID_GRAPH', `${node.op} node '${node.name}' reads undefined value '${name}'`);
    shapes.push(v.shape);
  }
  const ctx: InferContext = {
    op: node.op,
    node: node.name,
    inputs: node.inputs.map((n) => (n === '' ? [] : values.get(n)!.shape)),
    constant: (i) => (node.inputs[i] ? constantInts(graph, node.inputs[i]) : undefined),
    attrs: node.attrs,
    inputDtypes: present.map((n) => values.get(n)!.dtype),
  };
  const outShapes = def.infer(ctx);
  if (outShapes.length !== node.outputs.length)
    throw new MvbenchError(
      'INVALID_GRAPH',
      `${node.op} node '${node.name}' declares ${node.outputs.length} outputs, infers ${outShapes.length}`,
    );
  const dtype = def.outputDtype ?? ctx.inputDtypes[0] ?? 'float32';
  return node.outputs.map((name, i) => ({ name, dtype, shape: outShapes[i] }));
}

/** recomputes `graph.values` from inputs, initializers and nodes; throws on an ill-formed graph */
export function inferShapes(graph: Graph): Graph {
  const values = new Map<string, ValueInfo>();
  for (const v of graph.inputs) values.set(v.name, v);
  for (const init of graph.initializers.values()) values.set(init.name, { name: init.name, dtype: init.dtype, shape: init.dims });
  const names = new Set<string>();
  for (const node of graph.nodes) {
    if (names.has(node.name)) throw new MvbenchError('INVALID_GRAPH', `two nodes are named '${node.name}'`);
    names.add(node.name);
    for (const out of inferNode(graph, values, node)) {
      if (values.has(out.name)) throw new MvbenchError('INVALID_GRAPH', `value '${out.name}' is assigned twice`);
      values.set(out.name, out);
    }
  }
  for (const out of graph.outputs) {
    const v = values.get(out.name);
    if (!v) throw new MvbenchError('INVALID_GRAPH', `graph output '${out.name}' is never produced`);
    if (out.shape.length && shapeString(out.shape) !== shapeString(v.shape))
      throw new MvbenchError(
        'INVALID_GRAPH',
        `graph output '${out.name}' is declared ${shapeString(out.shape)} but infers ${shapeString(v.shape)}`,
      );
  }
  graph.values = values;
  graph.outputs = graph.outputs.map((o) => values.get(o.name)!);
  return graph;
}
