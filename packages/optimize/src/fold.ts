/** Rewrites that fold constant per-channel maps into neighbouring convolutions. */
import type { Node } from '@mvbench/ir';
import { affineOf, foldableBeforeConv, foldAfterConv, foldBeforeConv } from './affine.ts';
import type { RewriteContext } from './context.ts';

/**
 * Conv -> BatchNormalization / Mul / Add by per-channel constants becomes one Conv with scaled weights and bias.
 * onnxruntime folds Conv+BN only when the Conv has a bias (MobileViT's convs have none), and never folds a Mul.
 * Exact: s * (W x + b) + t = (s W) x + (s b + t), channel by channel.
 */
export function affineIntoPrecedingConv(ctx: RewriteContext, node: Node): boolean {
  const a = affineOf(ctx, node);
  const conv = a && ctx.producer(a.x);
  if (!a || conv?.op !== 'Conv' || ctx.soleUse(a.x) !== node || !ctx.isConst(conv.inputs[1])) return false;
  if (conv.inputs[2] && !ctx.isConst(conv.inputs[2])) return false;
  ctx.replace(conv, [foldAfterConv(ctx, conv, a, node.outputs[0])]);
  ctx.remove(node);
  return true;
}

/**
 * A per-channel affine read only by Convs (a BatchNormalization before an MLP's 1x1 conv, the affine of a
 * GroupNorm before a projection) moves into each of them. Exact where every tap of the conv sees a real input
 * pixel (no zero padding) or the map has no shift: W (s x + t) + b = (W s) x + (b + W t).
 */
export function affineIntoFollowingConvs(ctx: RewriteContext, node: Node): boolean {
  const a = affineOf(ctx, node);
  const out = node.outputs[0];
  const readers = ctx.consumers(out);
  if (!a || ctx.isGraphOutput(out) || readers.length === 0 || isGeluTail(ctx, node)) return false;
  if (!readers.every((c) => c.inputs[0] === out && !c.inputs.slice(1).includes(out) && foldableBeforeConv(ctx, c, a))) return false;
  for (const conv of readers) ctx.replace(conv, [foldBeforeConv(ctx, conv, a)]);
  ctx.remove(node);
  return true;
}

/**
 * Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5), the last node of exact GELU. Kept: onnxruntime fuses the five
 * nodes into one Gelu kernel (level 'all'), and a folded 0.5 breaks its pattern (4 kernels instead of 1).
 */
function isGeluTail(ctx: RewriteContext, node: Node): boolean {
  const mul = node.op === 'Mul' ? ctx.producer(node.inputs[0]) : undefined;
  return !!mul && mul.op === 'Mul' && mul.inputs.some((i) => ctx.producer(i)?.op === 'Add' && ctx.producer(i)!.inputs.some((j) => ctx.producer(j)?.op === 'Erf'));
}

/**
 * A per-channel affine read only by a Reshape or Transpose that keeps the batch and channel axes in front moves
 * behind it, towards a conv it can fold into (the GroupNorm affine before MobileViTv2's fold). Exact: the layout op
 * moves values without changing them, and every value keeps its channel.
 */
export function affineThroughLayout(ctx: RewriteContext, node: Node): boolean {
  const a = affineOf(ctx, node);
  const layout = a && ctx.soleUse(node.outputs[0]);
  if (!a || !layout || (layout.op !== 'Reshape' && layout.op !== 'Transpose') || layout.inputs[0] !== node.outputs[0]) return false;
  const inShape = ctx.shape(a.x), outShape = ctx.shape(layout.outputs[0]);
  const keeps = layout.op === 'Reshape'
    ? inShape.length >= 2 && outShape.length >= 2 && inShape[0] === outShape[0] && inShape[1] === outShape[1]
    : ((layout.attrs.perm as number[] | undefined) ?? [])[0] === 0 && (layout.attrs.perm as number[])[1] === 1;
  if (!keeps) return false;
  const moved = ctx.freshName(`${layout.name}_moved`);
  const ones = outShape.slice(2).map(() => 1);
  const constant = (v: () => Float64Array, what: string) => ctx.addFloats(`${node.name.split('/')[0]}.${what}`, [a.channels, ...ones], () => new Float32Array(v()));
  const affine: Node = node.op === 'BatchNormalization'
    ? { ...node, inputs: [moved, ...node.inputs.slice(1)], outputs: layout.outputs }
    : { ...node, inputs: [moved, node.op === 'Mul' ? constant(a.scale, 'scale') : constant(a.shift, 'shift')], outputs: layout.outputs };
  ctx.replace(layout, [{ ...layout, inputs: [a.x, ...layout.inputs.slice(1)], outputs: [moved] }, affine], { [moved]: outShape });
  ctx.remove(node);
  return true;
}
