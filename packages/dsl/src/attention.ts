/**
 * The attention kinds ("token mixers"), swappable by the `attention` knob. Each takes and returns one of two
 * layouts and is written natively for the layout its paper uses; the other layout goes through `rearrange`:
 *   tokens:  [T, N, C]    channel-last, N tokens per sequence (MobileViT v1 patches, SwiftFormer pixels)
 *   patches: [B, C, P, N] channel-first, N patches for each of P pixel offsets (MobileViTv2)
 * Parameter names follow the reference module of each kind (timm Attention, timm LinearSelfAttention,
 * SwiftFormer EfficientAdditiveAttnetion), so canonical models load their checkpoints by name.
 */
import type { GraphBuilder, Value } from './builder.ts';
import { conv2d, l2Normalize, linear } from './layers.ts';
import { rearrange } from './rearrange.ts';

export const ATTENTION_KINDS = ['mhsa', 'separable', 'additive', 'none'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
export type Layout = 'tokens' | 'patches';

type Mixer = (b: GraphBuilder, x: Value) => Value;

/** runs a tokens-native mixer on a patches tensor (and back) */
function viaTokens(b: GraphBuilder, x: Value, mixer: Mixer): Value {
  const [batch, , p] = x.shape;
  const t = rearrange(b, x, 'b c p n -> (b p) n c');
  return rearrange(b, mixer(b, t), '(b p) n c -> b c p n', { b: batch, p });
}

/** MobileViT v1 / ViT multi-head self-attention over N tokens: quadratic in N */
function mhsaTokens(b: GraphBuilder, x: Value, heads: number): Value {
  const [t, n, c] = x.shape;
  const hd = c / heads;
  const qkv = b.scope('qkv', () => linear(b, x, 3 * c));
  // [T, N, 3C] -> [3, T, heads, N, hd]: q, k, v stacked on the first axis (timm: reshape + permute(2, 0, 3, 1, 4))
  const stacked = rearrange(b, qkv, 't n (three h e) -> three t h n e', { three: 3, h: heads });
  const [q, k, v] = b.node('Split', [stacked, b.ints([1, 1, 1])], { axis: 0 }, 3);
  const squeeze = (y: Value) => b.op.Reshape([y, b.ints([t, heads, n, hd])]);
  const kT = rearrange(b, k, 'one t h n e -> (one t) h e n');
  const scores = b.op.MatMul([b.op.Mul([squeeze(q), b.floats([hd ** -0.5])]), kT]);
  const ctx = b.op.MatMul([b.op.Softmax([scores], { axis: -1 }), squeeze(v)]);
  const merged = rearrange(b, ctx, 't h n e -> t n (h e)');
  return b.scope('proj', () => linear(b, merged, c));
}

/** MobileViTv2 separable self-attention: one context vector from a softmax over N; linear in N */
function separablePatches(b: GraphBuilder, x: Value): Value {
  const c = x.shape[1];
  const qkv = b.scope('qkv_proj', () => conv2d(b, x, { out: 1 + 2 * c, k: 1, bias: true }));
  const [q, k, v] = b.node('Split', [qkv, b.ints([1, c, c])], { axis: 1 }, 3);
  const scores = b.op.Softmax([q], { axis: -1 });
  const context = b.op.ReduceSum([b.op.Mul([k, scores]), b.ints([-1])], { keepdims: 1 });
  const out = b.op.Mul([b.op.Relu([v]), context]);
  return b.scope('out_proj', () => conv2d(b, out, { out: c, k: 1, bias: true }));
}

/** the same separable attention written for channel-last tokens (Linear projections) */
function separableTokens(b: GraphBuilder, x: Value): Value {
  const c = x.shape[2];
  const qkv = b.scope('qkv_proj', () => linear(b, x, 1 + 2 * c));
  const [q, k, v] = b.node('Split', [qkv, b.ints([1, c, c])], { axis: -1 }, 3);
  const scores = b.op.Softmax([q], { axis: 1 });
  const context = b.op.ReduceSum([b.op.Mul([k, scores]), b.ints([1])], { keepdims: 1 });
  const out = b.op.Mul([b.op.Relu([v]), context]);
  return b.scope('out_proj', () => linear(b, out, c));
}

/** SwiftFormer efficient additive attention: a global query from L2-normalised token weights; linear in N */
function additiveTokens(b: GraphBuilder, x: Value): Value {
  const c = x.shape[2];
  const q = l2Normalize(b, b.scope('to_query', () => linear(b, x, c)), -1);
  const k = l2Normalize(b, b.scope('to_key', () => linear(b, x, c)), -1);
  const wg = b.param('w_g', [c, 1], { kind: 'normal', std: 1 });
  const a = l2Normalize(b, b.op.Mul([b.op.MatMul([q, wg]), b.floats([c ** -0.5])]), 1);
  const g = b.op.ReduceSum([b.op.Mul([a, q]), b.ints([1])], { keepdims: 1 });
  const out = b.op.Add([b.scope('Proj', () => linear(b, b.op.Mul([g, k]), c)), q]);
  return b.scope('final', () => linear(b, out, c));
}

export function applyAttention(b: GraphBuilder, x: Value, kind: Exclude<AttentionKind, 'none'>, layout: Layout, heads = 4): Value {
  switch (kind) {
    case 'mhsa':
      return layout === 'tokens' ? mhsaTokens(b, x, heads) : viaTokens(b, x, (bb, t) => mhsaTokens(bb, t, heads));
    case 'separable':
      return layout === 'tokens' ? separableTokens(b, x) : separablePatches(b, x);
    case 'additive':
      return layout === 'tokens' ? additiveTokens(b, x) : viaTokens(b, x, additiveTokens);
  }
}

/** heads for multi-head attention at width C: MobileViT's 4 when C allows it, else the largest divisor <= 4 */
export const headsFor = (c: number): number => [4, 3, 2, 1].find((h) => c % h === 0)!;
