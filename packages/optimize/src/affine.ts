/**
 * Per-channel affine maps y = s[c] * x + t[c] over axis 1 of an NCHW tensor, read from BatchNormalization or
 * from Mul/Add by a constant, and folded into the weights of a Conv before or after them. Arithmetic in float64
 * (JS numbers), rounded once to float32 when stored; all of it deferred (see `Values` in context.ts).
 */
import { numel, type Node, type Shape } from '@mvbench/ir';
import type { RewriteContext, Values } from './context.ts';

export interface Affine {
  /** the non-constant input the map applies to */
  x: string;
  channels: number;
  scale: () => Float64Array;
  shift: () => Float64Array;
  /** false for a Mul: decided by the op, not by the values, so the optimised structure never depends on weights */
  shifts: boolean;
}

const memo64 = (f: () => Float64Array) => {
  let v: Float64Array | undefined;
  return () => (v ??= f());
};

/** a constant that broadcasts against `xShape` as one value per channel of axis 1 (or one value for all) */
function channelValues(ctx: RewriteContext, value: string, xShape: Shape): (() => Float64Array) | undefined {
  if (!ctx.isConst(value) || xShape.length < 2) return undefined;
  const dims = ctx.shape(value), c = xShape[1];
  const axis = xShape.length - dims.length; // broadcasting aligns trailing axes
  if (axis < 0 || dims.some((d, i) => d !== 1 && !(axis + i === 1 && d === c))) return undefined;
  const src = ctx.source(value), one = numel(dims) === 1;
  return memo64(() => (one ? new Float64Array(c).fill(src()[0]) : new Float64Array(src())));
}

/** the per-channel affine a node computes, when it is one: BatchNormalization, or Mul/Add by a constant */
export function affineOf(ctx: RewriteContext, node: Node): Affine | undefined {
  if (node.op === 'BatchNormalization') {
    const [x, ...stats] = node.inputs;
    if (!stats.every((s) => ctx.isConst(s))) return undefined;
    const [g, b, m, v] = stats.map((s) => ctx.source(s));
    const eps = Math.fround((node.attrs.epsilon as number | undefined) ?? 1e-5); // onnxruntime adds eps in float32
    const scale = memo64(() => Float64Array.from(g(), (gi, i) => gi / Math.sqrt(v()[i] + eps)));
    const shift = memo64(() => Float64Array.from(b(), (bi, i) => bi - m()[i] * scale()[i]));
    return { x, channels: ctx.shape(stats[0])[0], scale, shift, shifts: true };
  }
  if (node.op !== 'Mul' && node.op !== 'Add') return undefined;
  for (const k of [0, 1]) {
    const x = node.inputs[1 - k];
    if (ctx.isConst(x)) continue;
    const xShape = ctx.shape(x);
    // the constant must not widen the result (x [1, C, H, W] times [C, 1, 1] keeps the shape of x)
    if (numel(ctx.shape(node.outputs[0])) !== numel(xShape)) return undefined;
    const v = channelValues(ctx, node.inputs[k], xShape);
    if (!v) return undefined;
    const c = xShape[1];
    return node.op === 'Mul'
      ? { x, channels: c, scale: v, shift: () => new Float64Array(c), shifts: false }
      : { x, channels: c, scale: () => new Float64Array(c).fill(1), shift: v, shifts: true };
  }
  return undefined;
}

/** the new weight and bias of a conv, under the names it had (`<scope>.bias` when it had none) */
function convParams(ctx: RewriteContext, conv: Node, w: Values, b: Values): [string, string] {
  const [, wName, bName] = conv.inputs;
  const dims = ctx.shape(wName);
  const bias = bName || `${conv.name.split('/')[0]}.bias`;
  return [ctx.setFloats(wName, conv, dims, w), ctx.setFloats(bias, conv, [dims[0]], b)];
}

const biasOf = (ctx: RewriteContext, conv: Node): Values => {
  const out = ctx.shape(conv.inputs[1])[0];
  return conv.inputs[2] ? ctx.source(conv.inputs[2]) : () => new Float32Array(out);
};

/** Conv(x) followed by the affine: scales output channel o of the weights and bias */
export function foldAfterConv(ctx: RewriteContext, conv: Node, a: Affine, output: string): Node {
  const [x, wName] = conv.inputs;
  const w = ctx.source(wName), b = biasOf(ctx, conv);
  const per = numel(ctx.shape(wName).slice(1));
  const w2 = () => {
    const s = a.scale(), src = w(), out = new Float32Array(src.length);
    for (let o = 0, at = 0; o < s.length; o++) for (let j = 0, so = s[o]; j < per; j++, at++) out[at] = src[at] * so;
    return out;
  };
  const b2 = () => Float32Array.from(b(), (bo, o) => bo * a.scale()[o] + a.shift()[o]);
  return { ...conv, inputs: [x, ...convParams(ctx, conv, w2, b2)], outputs: [output] };
}

/** does Conv(s * x + t) equal Conv'(x) with folded weights: exact unless a zero pad would meet a shift t */
export function foldableBeforeConv(ctx: RewriteContext, conv: Node, a: Affine): boolean {
  if (conv.op !== 'Conv' || !ctx.isConst(conv.inputs[1]) || (conv.inputs[2] && !ctx.isConst(conv.inputs[2]))) return false;
  const pads = (conv.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  return pads.every((p) => p === 0) || !a.shifts;
}

/** Conv(s * x + t) as Conv'(x): input channel i of the weights scaled by s[i]; t through the weights into the bias */
export function foldBeforeConv(ctx: RewriteContext, conv: Node, a: Affine): Node {
  const wName = conv.inputs[1], dims = ctx.shape(wName);
  const w = ctx.source(wName), b = biasOf(ctx, conv);
  const [out, inPerGroup] = dims;
  const outPerGroup = out / (ctx.shape(a.x)[1] / inPerGroup);
  const k = numel(dims.slice(2));
  let folded: { w: Float32Array; b: Float32Array } | undefined;
  const fold = () => {
    if (folded) return folded;
    const src = w(), s = a.scale(), t = a.shift();
    const w2 = new Float32Array(src.length), b2 = Float64Array.from(b());
    for (let o = 0, at = 0; o < out; o++) {
      const c0 = Math.floor(o / outPerGroup) * inPerGroup;
      let acc = b2[o];
      for (let i = 0; i < inPerGroup; i++) {
        const sc = s[c0 + i], tc = t[c0 + i];
        for (let j = 0; j < k; j++, at++) {
          w2[at] = src[at] * sc;
          acc += src[at] * tc;
        }
      }
      b2[o] = acc;
    }
    return (folded = { w: w2, b: new Float32Array(b2) });
  };
  return { ...conv, inputs: [a.x, ...convParams(ctx, conv, () => fold().w, () => fold().b)] };
}
