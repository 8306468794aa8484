/**
 * Token tensors as matrices. A transformer's token stream [T, N, C] between the Reshapes that make and unmake it is
 * carried as [T*N, C] ([N, C] when T = 1): the same values in the same buffer, so every linear is a plain 2-D MatMul.
 * onnxruntime otherwise wraps each 3-D MatMul+Add it fuses into Gemm in a Reshape pair (108 extra nodes, a few
 * microseconds each, in mobilevit_xxs).
 */
import type { Node, Shape } from '@mvbench/ir';
import type { RewriteContext } from './context.ts';

const UNARY = new Set(['Sigmoid', 'Relu', 'Tanh', 'Erf', 'Sqrt', 'Clip', 'Identity']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div']);
const REDUCE = new Set(['ReduceSum', 'ReduceMean', 'ReduceL2']);

/** [T, N, C] -> [T*N, C] or [N, C]; undefined when the values cannot be merged (T > 1 with N differing from the region's) */
const flat = (s: Shape, n: number): number[] | undefined =>
  s.length !== 3 ? undefined : s[0] === 1 ? [s[1], s[2]] : s[1] === n ? [s[0] * s[1], s[2]] : undefined;

/** an axis of a 3-D value as an axis of its 2-D form */
const axis2d = (a: number, t: number): number | undefined => (a === 2 || a === -1 ? 1 : (a === 1 || a === -2) && t === 1 ? 0 : undefined);

/**
 * Grows the region of 3-D values around a Reshape's output and rewrites it when every node that reads or writes a
 * region value can take the 2-D form: element-wise ops, LayerNormalization and Softmax / reductions / Split over
 * the features (or over the tokens when T = 1), MatMul by a 2-D constant, MatMul of two region values; Reshapes
 * on the border. Exact: no value changes, only the shapes the graph declares.
 */
export function tokensAsMatrix(ctx: RewriteContext, node: Node): boolean {
  const seedShape = ctx.shape(node.outputs[0]);
  if (node.op !== 'Reshape' || seedShape.length !== 3 || ctx.isGraphOutput(node.outputs[0])) return false;
  const [t, n] = seedShape;
  const region = new Set<string>(), todo = [node.outputs[0]];
  const edits = new Map<Node, Node>();
  while (todo.length) {
    const v = todo.pop()!;
    if (region.has(v)) continue;
    if (ctx.isGraphOutput(v) || !flat(ctx.shape(v), n) || ctx.shape(v)[0] !== t) return false;
    region.add(v);
    const p = ctx.producer(v);
    if (!p) return false; // a graph input keeps its declared shape
    for (const m of [p, ...ctx.consumers(v)]) {
      if (edits.has(m) || (m === p && m.op === 'Reshape')) continue;
      if (m.op === 'Reshape' && m.inputs[0] === v) continue; // a reader on the border: takes any shape
      const e = edited(ctx, m, t);
      if (!e) return false;
      edits.set(m, e.node);
      todo.push(...e.values);
    }
  }
  for (const [old, e] of edits) ctx.replace(old, [e]);
  for (const v of region) {
    const p = ctx.producer(v)!;
    if (p.op === 'Reshape') ctx.replace(p, [{ ...p, inputs: [p.inputs[0], ctx.addInts(flat(ctx.shape(v), n)!)] }]);
    ctx.values.set(v, { name: v, dtype: 'float32', shape: flat(ctx.shape(v), n)! });
  }
  return region.size > 0;
}

/** the node rewritten for 2-D region values, and the values it ties into the region; undefined if it cannot be */
function edited(ctx: RewriteContext, m: Node, t: number): { node: Node; values: string[] } | undefined {
  const vars = m.inputs.filter((i) => i && !ctx.inits.has(i));
  const values = [...vars, ...m.outputs];
  const constOk = m.inputs.every((i) => !i || !ctx.inits.has(i) || ctx.shape(i).length <= 1 || m.op === 'MatMul');
  if (UNARY.has(m.op) || (BINARY.has(m.op) && constOk)) return { node: m, values };
  if (m.op === 'MatMul') {
    const w = m.inputs[1];
    if (ctx.inits.has(w) ? ctx.shape(w).length === 2 : false) return { node: m, values };
    return undefined;
  }
  const axisAttr = (dflt: number) => axis2d((m.attrs.axis as number | undefined) ?? dflt, t);
  if (m.op === 'LayerNormalization' || m.op === 'Softmax') {
    const a = axisAttr(-1);
    if (a === undefined || (m.op === 'LayerNormalization' && a !== 1) || !constOk) return undefined;
    return { node: { ...m, attrs: { ...m.attrs, axis: a } }, values };
  }
  if (m.op === 'Split') {
    const a = axisAttr(0);
    return a === undefined ? undefined : { node: { ...m, attrs: { ...m.attrs, axis: a } }, values: [m.inputs[0], ...m.outputs] };
  }
  if (REDUCE.has(m.op)) {
    const given = m.op === 'ReduceSum' ? (m.inputs[1] ? ctx.ints(m.inputs[1]) : undefined) : (m.attrs.axes as number[] | undefined);
    const axes = given?.map((a) => axis2d(a, t));
    if (!axes || axes.some((a) => a === undefined) || ((m.attrs.keepdims as number | undefined) ?? 1) !== 1) return undefined;
    const node = m.op === 'ReduceSum' ? { ...m, inputs: [m.inputs[0], ctx.addInts(axes as number[])] } : { ...m, attrs: { ...m.attrs, axes: axes as number[] } };
    return { node, values: [m.inputs[0], ...m.outputs] };
  }
  return undefined;
}
