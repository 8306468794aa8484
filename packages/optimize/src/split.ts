/**
 * Splits moved towards the linear layer that produced the tensor, where they become separate linears and the
 * layout ops after them become small ones: MobileViT's qkv = Linear -> Reshape -> 5-D Transpose -> Split turns
 * into three Linears, each with a 4-D single-axis Transpose (2.4x faster, benchmarks/torch-export/micro.ts).
 */
import { numel, type Node, type Shape } from '@mvbench/ir';
import type { RewriteContext } from './context.ts';
import { permOf } from './layout.ts';

const axisOf = (node: Node, rank: number) => {
  const a = (node.attrs.axis as number | undefined) ?? 0;
  return a < 0 ? a + rank : a;
};

/** the Split `node` reading the output of a layout node only it reads, with its sizes */
function splitOf(ctx: RewriteContext, node: Node, op: 'Reshape' | 'Transpose' | 'Add' | 'MatMul') {
  const from = node.op === 'Split' ? ctx.producer(node.inputs[0]) : undefined;
  const sizes = node.inputs[1] ? ctx.ints(node.inputs[1]) : undefined;
  if (!from || from.op !== op || !sizes || ctx.soleUse(from.outputs[0]) !== node) return undefined;
  return { from, sizes, axis: axisOf(node, ctx.shape(node.inputs[0]).length) };
}

/** per output of the new Split: its name and shape, and the node that restores the original output */
function rebuild(ctx: RewriteContext, node: Node, split: Node, outShapes: Shape[], after: (input: string, i: number) => Node): void {
  const names = node.outputs.map((o) => ctx.freshName(`${o}_early`));
  const shapes = Object.fromEntries(names.map((n, i) => [n, outShapes[i]]));
  ctx.replace(node, [{ ...split, outputs: names }, ...names.map((n, i) => after(n, i))], shapes);
}

/** Split(Transpose(x, p), axis a) = Transpose(Split(x, axis p[a]), p) for every output: both only move values */
export function splitBeforeTranspose(ctx: RewriteContext, node: Node): boolean {
  const s = splitOf(ctx, node, 'Transpose');
  if (!s) return false;
  const perm = permOf(ctx, s.from), x = s.from.inputs[0], shape = ctx.shape(x);
  const axis = perm[s.axis];
  const outShapes = s.sizes.map((k) => shape.map((d, i) => (i === axis ? k : d)));
  rebuild(ctx, node, { ...node, inputs: [x, node.inputs[1]], attrs: { ...node.attrs, axis } }, outShapes, (input, i) => ({
    op: 'Transpose', name: ctx.freshName(`${s.from.name}_${i}`), inputs: [input], outputs: [node.outputs[i]], attrs: { perm },
  }));
  return true;
}

/**
 * Split(Reshape(x), axis a) = Reshape(Split(x, axis k)) when the chunks are contiguous ranges of an axis k of x:
 * the axes before a hold as many values as those before k, and each chunk fills whole rows of x's axes after k.
 */
export function splitBeforeReshape(ctx: RewriteContext, node: Node): boolean {
  const s = splitOf(ctx, node, 'Reshape');
  if (!s) return false;
  const x = s.from.inputs[0], shape = ctx.shape(x), out = ctx.shape(s.from.outputs[0]);
  const before = numel(out.slice(0, s.axis)), inner = numel(out.slice(s.axis + 1));
  const k = shape.findIndex((_, i) => numel(shape.slice(0, i)) === before && shape[i] > 1);
  if (k < 0) return false;
  const row = numel(shape.slice(k + 1));
  const sizes = s.sizes.map((c) => (c * inner) / row);
  if (sizes.some((c) => !Number.isInteger(c)) || numel(shape.slice(k)) !== out[s.axis] * inner) return false;
  const outShapes = sizes.map((c) => shape.map((d, i) => (i === k ? c : d)));
  const split = { ...node, inputs: [x, ctx.addInts(sizes)], attrs: { ...node.attrs, axis: k } };
  rebuild(ctx, node, split, outShapes, (input, i) => ({
    op: 'Reshape', name: ctx.freshName(`${s.from.name}_${i}`), inputs: [input, ctx.addInts(ctx.shape(node.outputs[i]))], outputs: [node.outputs[i]], attrs: {},
  }));
  return true;
}

/** a Split of a linear's output along its features is one linear per chunk: columns of W and b, split ahead */
export function splitLinear(ctx: RewriteContext, node: Node): boolean {
  const s = splitOf(ctx, node, 'Add') ?? splitOf(ctx, node, 'MatMul');
  if (!s || s.axis !== ctx.shape(node.inputs[0]).length - 1) return false;
  const add = s.from.op === 'Add' ? s.from : undefined;
  const mm = add ? ctx.producer(add.inputs[0]) : s.from;
  if (mm?.op !== 'MatMul' || !ctx.isConst(mm.inputs[1])) return false;
  if (add && (!ctx.isConst(add.inputs[1]) || ctx.soleUse(mm.outputs[0]) !== add || ctx.shape(add.inputs[1]).length !== 1)) return false;
  const w = ctx.source(mm.inputs[1]), b = add && ctx.source(add.inputs[1]);
  const [k, n] = ctx.shape(mm.inputs[1]);
  if (ctx.shape(mm.inputs[1]).length !== 2) return false;
  const scope = mm.name.split('/')[0];
  const nodes: Node[] = [], shapes: Record<string, Shape> = {};
  let offset = 0;
  s.sizes.forEach((c, i) => {
    const from = offset;
    const wi = () => {
      const src = w(), part = new Float32Array(k * c);
      for (let r = 0; r < k; r++) part.set(src.subarray(r * n + from, r * n + from + c), r * c);
      return part;
    };
    const out = node.outputs[i], mmOut = add ? ctx.freshName(`${mm.name}_${i}`) : out;
    nodes.push({ ...mm, name: ctx.freshName(`${mm.name}_${i}`), inputs: [mm.inputs[0], ctx.addFloats(`${scope}.weight.${i}`, [k, c], wi)], outputs: [mmOut] });
    if (add) {
      shapes[mmOut] = ctx.shape(out);
      const bias = ctx.addFloats(`${scope}.bias.${i}`, [c], () => b!().slice(from, from + c));
      nodes.push({ ...add, name: ctx.freshName(`${add.name}_${i}`), inputs: [mmOut, bias], outputs: [out] });
    }
    offset += c;
  });
  ctx.replace(node, nodes, shapes);
  return true;
}
