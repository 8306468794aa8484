/**
 * Transposes in the forms onnxruntime's CPU kernel runs fast: it copies contiguous blocks when the innermost axis
 * stays innermost and has a fast path for moving one axis; anything else goes element by element, 4-8x slower
 * per value (benchmarks/torch-export/micro.ts, case transposes). After an NCHWc convolution the NCHW -> NHWC move
 * is free: onnxruntime writes the conv's output channels-last (and reads NHWC -> NCHW into the next conv).
 */
import { numel, type Node, type Shape } from '@mvbench/ir';
import type { RewriteContext } from './context.ts';
import { permOf } from './layout.ts';

/** the same transpose with unit axes dropped and axes that stay neighbours merged */
function reduced(shape: Shape, perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1);
  const groups: number[][] = []; // runs of output axes whose input axes are consecutive
  for (const a of kept) {
    const last = groups.at(-1);
    if (last && last.at(-1)! + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  return { shape: byInput.map((g) => numel(g.map((a) => shape[a]))), perm: groups.map((g) => byInput.indexOf(g)) };
}

const isIdentity = (p: readonly number[]) => p.every((a, i) => a === i);
/** one axis moved, the others in order */
const movesOneAxis = (p: readonly number[]) => p.some((v) => p.filter((a) => a !== v).every((a, i, r) => i === 0 || r[i - 1] < a));
/** a form the kernel runs fast as written: blocks of >= 4 values, or a single-axis move */
export const fast = (shape: Shape, p: readonly number[]) =>
  isIdentity(p) || (p.at(-1) === p.length - 1 && shape.at(-1)! >= 4) || movesOneAxis(p);
/** fast once unit axes are dropped and neighbours merged */
const fastReduced = (shape: Shape, p: readonly number[]) => {
  const r = reduced(shape, p);
  return fast(r.shape, r.perm);
};

/**
 * Transpose(Transpose(x, p), q) = Transpose(x, p∘q) (output axis i is input axis p[q[i]]), when the merged one is a
 * fast form: two fast transposes are cheaper than one slow one.
 */
export function transposeChain(ctx: RewriteContext, node: Node): boolean {
  const inner = ctx.producer(node.inputs[0]);
  if (node.op !== 'Transpose' || inner?.op !== 'Transpose') return false;
  const p = permOf(ctx, inner), q = permOf(ctx, node), shape = ctx.shape(inner.inputs[0]);
  if (!fastReduced(shape, q.map((i) => p[i]))) return false;
  ctx.replace(node, [{ ...node, inputs: [inner.inputs[0]], attrs: { perm: q.map((i) => p[i]) } }]);
  return true;
}

interface Step {
  shape: Shape;
  perm: number[];
}

/**
 * A slow transpose is rewritten in fast steps. When dropping unit axes and merging neighbours makes it fast, that
 * reduced form is used (MobileViT's k^T: [T, N, 1, h, e] -> [1, T, h, e, N] is [T, N, C] -> [T, C, N]). Otherwise
 * around its largest axis (the pivot, >= 8 values): move the pivot innermost, block-copy the other axes into their
 * output order, move the pivot to its output place; the first and last moves are written on the tensors before and
 * after neighbouring Reshapes when those hold the pivot as one axis (an NCHW <-> NHWC move onnxruntime makes free).
 * MobileViT's unfold [1, C, H, W] -> [P, N, C]: NCHW -> NHWC, then a block copy of C-value rows.
 */
export function transposeFast(ctx: RewriteContext, node: Node): boolean {
  if (node.op !== 'Transpose') return false;
  const shape = ctx.shape(node.inputs[0]), perm = permOf(ctx, node), outShape = ctx.shape(node.outputs[0]);
  if (fast(shape, perm)) return false;
  const r = reduced(shape, perm);
  if (fast(r.shape, r.perm)) return replaceWith(ctx, node, node.inputs[0], [{ shape: r.shape, perm: r.perm }], node.outputs[0], outShape);
  const n = r.perm.length, v = r.shape.indexOf(Math.max(...r.shape)), pivot = r.shape[v];
  if (pivot < 8) return false;
  const others = r.shape.map((_, i) => i).filter((i) => i !== v), outOthers = r.perm.filter((a) => a !== v);
  const dims = (axes: number[]) => axes.map((a) => r.shape[a]);
  const steps: Step[] = [];
  // step 1: the pivot innermost, on the tensor before a Reshape when that has it as one axis
  const before = ctx.producer(node.inputs[0]);
  const x0 = before?.op === 'Reshape' ? before.inputs[0] : node.inputs[0];
  let input = node.inputs[0];
  const a = axisHolding(ctx.shape(x0), pivot, numel(dims(others.filter((i) => i < v))));
  if (v !== n - 1 && a !== undefined) {
    input = x0;
    steps.push(moveAxis(ctx.shape(x0), a, ctx.shape(x0).length - 1));
  } else if (v !== n - 1) steps.push(moveAxis([numel(dims(others.filter((i) => i < v))), pivot, numel(dims(others.filter((i) => i > v)))], 1, 2));
  // step 2: the other axes into their output order, rows of `pivot` values
  const block = outOthers.map((o) => others.indexOf(o));
  steps.push({ shape: [...dims(others), pivot], perm: [...block, n - 1] });
  // step 3: the pivot to its output place, writing the tensor after a Reshape when that has it as one axis
  const q = r.perm.indexOf(v);
  const after = ctx.soleUse(node.outputs[0]);
  const y = after?.op === 'Reshape' ? after.outputs[0] : node.outputs[0];
  const b = axisHolding(ctx.shape(y), pivot, numel(dims(outOthers.slice(0, q))));
  let [output, finalShape] = [node.outputs[0], outShape];
  if (q !== n - 1 && b !== undefined && after?.op === 'Reshape') {
    const yShape = ctx.shape(y), rest = yShape.filter((_, i) => i !== b);
    steps.push(moveAxis([...rest, pivot], rest.length, b));
    [output, finalShape] = [y, yShape];
  } else if (q !== n - 1) steps.push(moveAxis([numel(dims(outOthers.slice(0, q))), numel(dims(outOthers.slice(q))), pivot], 2, 1));
  return replaceWith(ctx, node, input, steps.filter((s) => !isIdentity(s.perm)), output, finalShape, output !== node.outputs[0] ? after : undefined);
}

/** the axis of `shape` that holds `size` values with `before` values ahead of it, if one does */
function axisHolding(shape: Shape, size: number, before: number): number | undefined {
  const a = shape.findIndex((d, i) => d === size && numel(shape.slice(0, i)) === before);
  return a < 0 ? undefined : a;
}

/** the transpose moving axis `from` of `shape` to position `to` */
function moveAxis(shape: Shape, from: number, to: number): Step {
  const rest = shape.map((_, i) => i).filter((i) => i !== from);
  return { shape, perm: [...rest.slice(0, to), from, ...rest.slice(to)] };
}

/** Reshape (when the shape changes) + Transpose per step, then a Reshape to `outShape`; writes `output` */
function replaceWith(ctx: RewriteContext, node: Node, input: string, steps: Step[], output: string, outShape: Shape, alsoReplaced?: Node): boolean {
  const nodes: Node[] = [], shapes: Record<string, Shape> = {};
  let value = input, shape: Shape = ctx.shape(input);
  const emit = (op: 'Reshape' | 'Transpose', extra: string[], attrs: Node['attrs'], out: Shape) => {
    const name = ctx.freshName(`${node.name}_${nodes.length}`);
    nodes.push({ op, name, inputs: [value, ...extra], outputs: [name], attrs });
    [value, shape, shapes[name]] = [name, out, out];
  };
  const same = (s: Shape) => s.length === shape.length && s.every((d, i) => d === shape[i]);
  for (const s of steps) {
    if (!same(s.shape)) emit('Reshape', [ctx.addInts(s.shape)], {}, s.shape);
    emit('Transpose', [], { perm: s.perm }, s.perm.map((p) => s.shape[p]));
  }
  if (!same(outShape) || nodes.length === 0) emit('Reshape', [ctx.addInts(outShape)], {}, outShape);
  const last = nodes.at(-1)!;
  delete shapes[last.outputs[0]];
  nodes[nodes.length - 1] = { ...last, outputs: [output] };
  if (alsoReplaced) ctx.remove(alsoReplaced);
  ctx.replace(node, nodes, shapes);
  return true;
}
