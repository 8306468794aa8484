/** Rewrites that remove layout nodes: Reshape and Transpose chains, no-ops, and layout ops on constants. */
import { numel, type Node, type Shape } from '@mvbench/ir';
import type { RewriteContext } from './context.ts';

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);
export const permOf = (ctx: RewriteContext, n: Node): number[] =>
  [...((n.attrs.perm as number[] | undefined) ?? ctx.shape(n.inputs[0]).map((_, i, s) => s.length - 1 - i))];

/** readers of a node's output read its input instead; kept when the output is a graph output */
function bypass(ctx: RewriteContext, node: Node, to: string): boolean {
  if (ctx.isGraphOutput(node.outputs[0])) return false;
  ctx.rewire(node.outputs[0], to);
  ctx.remove(node);
  return true;
}

/** Reshape(Reshape(x)) = Reshape(x) to the final shape: a reshape only reinterprets the same C-order buffer */
export function reshapeChain(ctx: RewriteContext, node: Node): boolean {
  const inner = ctx.producer(node.inputs[0]);
  if (node.op !== 'Reshape' || inner?.op !== 'Reshape') return false;
  const shape = ctx.addInts(ctx.shape(node.outputs[0]));
  ctx.replace(node, [{ ...node, inputs: [inner.inputs[0], shape] }]);
  return true;
}

/** a Reshape or Transpose that leaves its input as it is (same shape, identity perm) is dropped */
export function layoutNoop(ctx: RewriteContext, node: Node): boolean {
  if (node.op === 'Reshape' && sameShape(ctx.shape(node.inputs[0]), ctx.shape(node.outputs[0]))) return bypass(ctx, node, node.inputs[0]);
  if (node.op === 'Transpose' && permOf(ctx, node).every((p, i) => p === i)) return bypass(ctx, node, node.inputs[0]);
  return false;
}

/** Reshape / Transpose of a constant is computed now (GroupNorm's affine reshaped to [C, 1, 1]) */
export function layoutOfConstant(ctx: RewriteContext, node: Node): boolean {
  if (node.op !== 'Reshape' && node.op !== 'Transpose') return false;
  if (!ctx.isConst(node.inputs[0]) || ctx.isGraphOutput(node.outputs[0])) return false;
  const src = ctx.source(node.inputs[0]), inShape = ctx.shape(node.inputs[0]), outShape = ctx.shape(node.outputs[0]);
  const perm = node.op === 'Transpose' ? permOf(ctx, node) : undefined;
  const values = () => (perm ? transposeData(src(), inShape, perm) : src());
  const role = ctx.inits.get(node.inputs[0])!.role;
  const name = ctx.addFloats(node.outputs[0].replace(/\/.*$/, '') + '.reshaped', outShape, values, role);
  return bypass(ctx, node, name);
}

function transposeData(data: Float32Array, shape: Shape, perm: number[]): Float32Array {
  const out = new Float32Array(data.length);
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => numel(shape.slice(i + 1)));
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    out[o] = data[idx.reduce((s, v, i) => s + v * strides[perm[i]], 0)];
    for (let i = idx.length - 1; i >= 0 && ++idx[i] === outShape[i]; i--) idx[i] = 0;
  }
  return out;
}

/** a node computing what an earlier node already computes (same op, inputs, attributes) reuses its outputs */
export function duplicate(ctx: RewriteContext, node: Node): boolean {
  const key = (n: Node) => `${n.op}(${n.inputs.join(',')})${JSON.stringify(n.attrs)}`;
  const first = ctx.consumers(node.inputs[0] ?? '').find((n) => n !== node && key(n) === key(node));
  if (!first || ctx.nodes.indexOf(first) > ctx.nodes.indexOf(node) || node.outputs.some((o) => ctx.isGraphOutput(o))) return false;
  node.outputs.forEach((o, i) => ctx.rewire(o, first.outputs[i]));
  ctx.remove(node);
  return true;
}
