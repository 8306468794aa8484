/** Parameter count, MACs, op histogram and a printable summary: the facts `mvbench info` and goldens show. */
import { numel, shapeString, type Graph } from './graph.ts';
import { opDef } from './ops.ts';

export const countParams = (graph: Graph, filter: (name: string) => boolean = () => true): number =>
  [...graph.initializers.values()]
    .filter((i) => i.role === 'param' && filter(i.name))
    .reduce((a, i) => a + numel(i.dims), 0);

export function countMacs(graph: Graph): number {
  let total = 0;
  for (const node of graph.nodes) {
    const def = opDef(node.op);
    if (!def.macs) continue;
    const shape = (n: string) => graph.values.get(n)!.shape;
    total += def.macs(node.inputs.filter(Boolean).map(shape), node.outputs.map(shape), node.attrs);
  }
  return total;
}

export function opHistogram(graph: Graph): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of graph.nodes) h[n.op] = (h[n.op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(h).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** one line per node: `name  Op(input shapes) -> output shapes`; stable text for golden files */
export function printGraph(graph: Graph): string {
  const shape = (n: string) => (n === '' ? '-' : shapeString(graph.values.get(n)?.shape ?? []));
  const lines = graph.inputs.map((i) => `input ${i.name} ${shapeString(i.shape)}`);
  for (const node of graph.nodes) {
    const ins = node.inputs.filter((i) => !graph.initializers.has(i) || graph.initializers.get(i)!.role !== 'const');
    lines.push(`${node.name} ${node.op}(${ins.map(shape).join(', ')}) -> ${node.outputs.map(shape).join(', ')}`);
  }
  lines.push(...graph.outputs.map((o) => `output ${o.name} ${shapeString(o.shape)}`));
  return lines.join('\n') + '\n';
}
