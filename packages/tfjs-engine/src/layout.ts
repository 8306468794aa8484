/**
 * Two layouts for a value. `plain`: the ONNX (logical) shape. `nhwc`: a value of rank <= 4, padded with leading
 * 1s to rank 4 (read as NCHW) and held transposed to NHWC, tfjs' native conv layout. Converting between them is one
 * transpose, or a free reshape when the moved axes do not change the memory order (C = 1, or H = W = 1).
 */
import type { Shape } from '@mvbench/ir';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TF } from './kernel.ts';

export type Layout = 'plain' | 'nhwc';

/** NCHW -> NHWC; QINV[a] is where logical axis a sits in an NHWC tensor */
export const TO_NHWC = [0, 2, 3, 1] as const;
export const TO_NCHW = [0, 3, 1, 2] as const;
export const QINV = TO_NCHW;

const rank4 = (shape: Shape): number[] => [...Array(Math.max(0, 4 - shape.length)).fill(1), ...shape];

/** the physical shape of a value with logical shape `shape` held in `layout` */
export const physical = (shape: Shape, layout: Layout): number[] =>
  layout === 'plain' ? [...shape] : TO_NHWC.map((a) => rank4(shape)[a]);

/** axis `axis` of a logical rank-`rank` value, in `layout` (nhwc: rank <= 4) */
export function physAxis(axis: number, rank: number, layout: Layout): number {
  const a = axis < 0 ? axis + rank : axis;
  return layout === 'plain' ? a : QINV[a + 4 - rank];
}

/** true when transposing `shape` by `perm` keeps the memory order, so a reshape does the same work */
export function keepsOrder(shape: Shape, perm: readonly number[]): boolean {
  const moved = perm.filter((a) => shape[a] !== 1);
  return moved.every((a, i) => i === 0 || moved[i - 1] < a);
}

/** drops size-1 axes and merges runs of axes that stay adjacent: the smallest transpose doing the same work */
function simplify(shape: Shape, perm: readonly number[]): { dims: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1);
  const rank = new Map([...kept].sort((x, y) => x - y).map((a, i) => [a, i]));
  const runs: number[][] = [];
  for (const a of kept) {
    const run = runs.at(-1);
    if (run && rank.get(run.at(-1)!)! + 1 === rank.get(a)) run.push(a);
    else runs.push([a]);
  }
  const order = [...runs].sort((x, y) => x[0] - y[0]);
  return {
    dims: order.map((run) => run.reduce((n, a) => n * shape[a], 1)),
    perm: runs.map((run) => order.indexOf(run)),
  };
}

/**
 * Transpose, done as cheaply as tfjs-backend-wasm allows: a reshape when the memory order stays, one transpose of
 * rank <= 4 after simplify(), else a sequence of rank-4 transposes that each move one axis into place (its
 * transposes of rank 5 and 6 take ~100x longer per element: 11 ms for MobileViT's [4, 256, 3, 4, 16] qkv split).
 */
export function permute(tf: TF, x: Tensor, perm: readonly number[]): Tensor {
  const out = perm.map((a) => x.shape[a]);
  const { dims, perm: p } = simplify(x.shape, perm);
  if (p.every((a, i) => a === i)) return tf.reshape(x, out);
  if (p.length <= 4) return tf.reshape(tf.transpose(tf.reshape(x, dims), p), out);
  let t = x;
  const order = dims.map((_, i) => i);
  const size = (from: number, to: number) => order.slice(from, to).reduce((n, a) => n * dims[a], 1);
  for (let k = 0; k < p.length; k++) {
    const i = order.indexOf(p[k]);
    if (i === k) continue;
    // [before k, k..i, axis i, after i] -> move axis i in front of k..i
    t = tf.transpose(tf.reshape(t, [size(0, k), size(k, i), dims[p[k]], size(i + 1, order.length)]), [0, 2, 1, 3]);
    order.splice(i, 1);
    order.splice(k, 0, p[k]);
  }
  return tf.reshape(t, out);
}

/** a value with logical shape `shape` from layout `from` to layout `to` */
export function convert(tf: TF, x: Tensor, shape: Shape, from: Layout, to: Layout): Tensor {
  if (from === to) return tf.clone(x);
  if (to === 'nhwc') return permute(tf, shape.length === 4 ? x : tf.reshape(x, rank4(shape)), TO_NHWC);
  const nchw = permute(tf, x, TO_NCHW);
  return shape.length === 4 ? nchw : tf.reshape(nchw, [...shape]);
}
