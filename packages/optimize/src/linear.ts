/** Constants folded into linear layers (MatMul [+ Add bias], 1x1 Conv) and linear layers merged. */
import { numel, type Node, type Shape } from '@mvbench/ir';
import type { RewriteContext, Values } from './context.ts';
import { permOf } from './layout.ts';

/** the axis of `shape` along which a broadcast constant varies (-1: one value for all), with its values */
function alongAxis(ctx: RewriteContext, k: string, shape: Shape): { axis: number; values: Values } | undefined {
  const dims = ctx.shape(k);
  if (!ctx.isConst(k) || dims.length > shape.length) return undefined;
  const values = ctx.source(k);
  const offset = shape.length - dims.length;
  const varying = dims.map((d, i) => (d === 1 ? -1 : i + offset)).filter((a) => a >= 0);
  if (varying.length > 1 || (varying.length === 1 && dims[varying[0] - offset] !== shape[varying[0]])) return undefined;
  return { axis: varying[0] ?? -1, values };
}

/** the axis of a layout node's input that holds the values of `axis` of its output, if one does */
function axisBefore(ctx: RewriteContext, node: Node, axis: number): number | undefined {
  if (axis < 0) return -1;
  if (node.op === 'Transpose') return permOf(ctx, node)[axis];
  const inShape = ctx.shape(node.inputs[0]), out = ctx.shape(node.outputs[0]);
  const before = numel(out.slice(0, axis));
  const k = inShape.findIndex((d, i) => d === out[axis] && numel(inShape.slice(0, i)) === before);
  return k < 0 ? undefined : k;
}

/**
 * Mul / Add by a constant that varies only along the features of a linear layer's output, possibly seen through
 * Reshapes and Transposes (MobileViT's attention scale on q, SwiftFormer's layer_scale_1 after the token -> map
 * switch), is folded into the linear: W[:, j] * s_j, b_j * s_j (+ t_j). Exact: both apply per output feature.
 */
export function constantIntoLinear(ctx: RewriteContext, node: Node): boolean {
  if (node.op !== 'Mul' && node.op !== 'Add') return false;
  const kIndex = node.inputs.findIndex((i) => ctx.isConst(i));
  const y = node.inputs[1 - kIndex];
  if (kIndex < 0 || ctx.isConst(y) || numel(ctx.shape(y)) !== numel(ctx.shape(node.outputs[0]))) return false;
  const k = alongAxis(ctx, node.inputs[kIndex], ctx.shape(node.outputs[0]));
  let axis = k?.axis, value = y, reader = node;
  for (let p = ctx.producer(value); k && axis !== undefined && p && ctx.soleUse(value) === reader; p = ctx.producer(value)) {
    if (p.op === 'Reshape' || p.op === 'Transpose') {
      [axis, value, reader] = [axisBefore(ctx, p, axis), p.inputs[0], p];
      continue;
    }
    if (axis !== -1 && axis !== ctx.shape(value).length - 1) return false;
    return foldIntoLinear(ctx, node, p, k.values);
  }
  return false;
}

function foldIntoLinear(ctx: RewriteContext, node: Node, last: Node, k: Values): boolean {
  const add = last.op === 'Add' ? last : undefined;
  const mm = add ? ctx.producer(add.inputs[0]) : last;
  if (mm?.op !== 'MatMul' || !ctx.isConst(mm.inputs[1]) || ctx.shape(mm.inputs[1]).length !== 2) return false;
  if (add && (!ctx.isConst(add.inputs[1]) || ctx.soleUse(mm.outputs[0]) !== add)) return false;
  if ((node.op === 'Add' && !add) || ctx.isGraphOutput(node.outputs[0])) return false; // Add without a bias Add: it is one
  const n = ctx.shape(mm.inputs[1])[1];
  if (add && numel(ctx.shape(add.inputs[1])) !== n) return false;
  const at = (kv: Float32Array, j: number) => kv[kv.length === 1 ? 0 : j];
  const w = ctx.source(mm.inputs[1]), b = add && ctx.source(add.inputs[1]);
  if (node.op === 'Mul') ctx.setFloats(mm.inputs[1], mm, ctx.shape(mm.inputs[1]), () => w().map((v, i) => v * at(k(), i % n)));
  if (add) ctx.setFloats(add.inputs[1], add, ctx.shape(add.inputs[1]), () => b!().map((v, j) => (node.op === 'Mul' ? v * at(k(), j) : v + at(k(), j))));
  ctx.rewire(node.outputs[0], node.inputs.find((i) => !ctx.isConst(i))!);
  ctx.remove(node);
  return true;
}

const pointwise = (ctx: RewriteContext, c: Node) =>
  c.op === 'Conv' && ctx.isConst(c.inputs[1]) && (!c.inputs[2] || ctx.isConst(c.inputs[2])) && ctx.shape(c.inputs[1])[2] === 1 &&
  ctx.shape(c.inputs[1])[3] === 1 && ((c.attrs.group as number | undefined) ?? 1) === 1 &&
  ((c.attrs.pads as number[] | undefined) ?? [0]).every((p) => p === 0);

/** merged weights are computed in JS: pairs above this many multiply-adds (~0.2 s) are left to the runtime */
const MAX_MERGE_MACS = 2 ** 27;

const dot = (a: Float32Array, at: number, b: Float32Array, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[at + i] * b[i];
  return s;
};

/** a [m, k] times b [k, n], accumulated in float64, four rows of a at a time */
function matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n), bd = Float64Array.from(b);
  const rows = [0, 1, 2, 3].map(() => new Float64Array(n));
  for (let o = 0; o < m; o += 4) {
    const r = Math.min(4, m - o);
    rows.forEach((row) => row.fill(0));
    const [r0, r1, r2, r3] = rows;
    for (let j = 0; j < k; j++) {
      const f0 = a[o * k + j], f1 = r > 1 ? a[(o + 1) * k + j] : 0, f2 = r > 2 ? a[(o + 2) * k + j] : 0, f3 = r > 3 ? a[(o + 3) * k + j] : 0;
      for (let i = 0, at = j * n; i < n; i++, at++) {
        const x = bd[at];
        r0[i] += f0 * x;
        r1[i] += f1 * x;
        r2[i] += f2 * x;
        r3[i] += f3 * x;
      }
    }
    for (let q = 0; q < r; q++) out.set(rows[q], (o + q) * n);
  }
  return out;
}

/**
 * Two 1x1 convolutions with nothing between them are one, W = W2 W1 and b = W2 b1 + b2, kept when that costs
 * fewer MACs (MobileViTv2's conv_proj, 1x1 without activation, then the next stage's 1x1 expansion: 64->128->256
 * becomes 64->256). Exact in real arithmetic; float32 rounding differs by a few ulps.
 */
export function pointwiseConvs(ctx: RewriteContext, node: Node): boolean {
  const first = ctx.producer(node.inputs[0]);
  if (!first || !pointwise(ctx, node) || !pointwise(ctx, first) || ctx.soleUse(first.outputs[0]) !== node) return false;
  if (((first.attrs.strides as number[] | undefined) ?? [1, 1]).some((s) => s !== 1)) return false;
  const [mid, cin] = ctx.shape(first.inputs[1]), cout = ctx.shape(node.inputs[1])[0];
  if (cin * cout >= mid * (cin + cout) || cin * cout * mid > MAX_MERGE_MACS) return false;
  const [w1, w2] = [ctx.source(first.inputs[1]), ctx.source(node.inputs[1])];
  const b1: Values = first.inputs[2] ? ctx.source(first.inputs[2]) : () => new Float32Array(mid);
  const b2: Values = node.inputs[2] ? ctx.source(node.inputs[2]) : () => new Float32Array(cout);
  const scope = node.name.split('/')[0];
  const w = () => matmul(w2(), w1(), cout, mid, cin);
  const b = () => Float32Array.from(b2(), (v, o) => v + dot(w2(), o * mid, b1(), mid));
  const inputs = [first.inputs[0], ctx.addFloats(`${scope}.weight`, [cout, cin, 1, 1], w), ctx.addFloats(`${scope}.bias`, [cout], b)];
  ctx.replace(node, [{ ...node, inputs }]);
  return true;
}
