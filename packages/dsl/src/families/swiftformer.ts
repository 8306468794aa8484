/**
 * SwiftFormer: "SwiftFormer: Efficient Additive Attention for Transformer-based Real-time Mobile Vision
 * Applications" (Shaker et al., ICCV 2023, arXiv:2303.15446). Follows Amshaker/SwiftFormer `models/swiftformer.py`
 * and its state_dict names (patch_embed, network.i, dist_head); timm's port renames them.
 */
import type { Value } from '../builder.ts';
import type { Family } from '../family.ts';
import { applyAttention, headsFor } from '../attention.ts';
import { activation, batchNorm, classifier, conv2d, globalPool } from '../layers.ts';
import { rearrange } from '../rearrange.ts';
import { scaled, type BuildContext } from './common.ts';

export interface SwiftFormerRow {
  dims: readonly [number, number, number, number];
  /** blocks per stage: depth - 1 ConvEncoders, then one SwiftFormerEncoder (the `depth` knob) */
  depths: readonly [number, number, number, number];
  /** MLP ratio of the SwiftFormerEncoder (the `ffn` knob) */
  mlpRatio: number;
  /** hidden ratio of the ConvEncoders (the `expand` knob): their dw3x3 -> 1x1 expand -> 1x1 project is the analogue
   *  of an inverted residual. The reference drives both ratios with one `mlp_ratio` (4); here they are two axes. */
  convRatio: number;
}

/** x * layer_scale with a per-channel [C, 1, 1] parameter */
function layerScale(ctx: BuildContext, x: Value, leaf: string, init: number): Value {
  return ctx.b.op.Mul([x, ctx.b.param(leaf, [x.shape[1], 1, 1], { kind: 'fill', value: init })]);
}

/** dw3x3 -> BN -> 1x1 (hidden) -> GELU -> 1x1, scaled and added to the input (ConvEncoder, LocalRepresentation) */
function convEncoder(ctx: BuildContext, x: Value, hidden: number): Value {
  const { b } = ctx;
  const c = x.shape[1];
  let y = b.scope('dwconv', () => conv2d(b, x, { out: c, k: 3, groups: c, bias: true }));
  y = b.scope('norm', () => batchNorm(b, y));
  y = activation(b, b.scope('pwconv1', () => conv2d(b, y, { out: hidden, k: 1, bias: true })), 'gelu');
  y = b.scope('pwconv2', () => conv2d(b, y, { out: c, k: 1, bias: true }));
  return b.op.Add([x, layerScale(ctx, y, 'layer_scale', 1)]);
}

/** SwiftFormerEncoder: local representation, attention over all H*W tokens (no norm before it), BN-MLP */
function swiftFormerEncoder(ctx: BuildContext, x: Value, mlpRatio: number): Value {
  const { b } = ctx;
  const [batch, c, h] = x.shape;
  let y = b.scope('local_representation', () => convEncoder(ctx, x, c));
  if (ctx.attention !== 'none') {
    const kind = ctx.attention;
    const tokens = rearrange(b, y, 'b c h w -> b (h w) c');
    const a = b.scope('attn', () => applyAttention(b, tokens, kind, 'tokens', headsFor(c)));
    const map = rearrange(b, a, 'b (h w) c -> b c h w', { b: batch, h });
    y = b.op.Add([y, layerScale(ctx, map, 'layer_scale_1', 1e-5)]);
  }
  const m = b.scope('linear', () => {
    const n = b.scope('norm1', () => batchNorm(b, y));
    const f = activation(b, b.scope('fc1', () => conv2d(b, n, { out: Math.floor(mlpRatio * c), k: 1, bias: true })), 'gelu');
    return b.scope('fc2', () => conv2d(b, f, { out: c, k: 1, bias: true }));
  });
  return b.op.Add([y, layerScale(ctx, m, 'layer_scale_2', 1e-5)]);
}

function swiftFormerNet(ctx: BuildContext, row: SwiftFormerRow, input: Value): Value {
  const { b } = ctx;
  let x = b.stage('patch_embed', () => b.scope('patch_embed', () => {
    let y = b.scope(0, () => conv2d(b, input, { out: row.dims[0] / 2, k: 3, stride: 2, bias: true }));
    y = activation(b, b.scope(1, () => batchNorm(b, y)), 'relu');
    y = b.scope(3, () => conv2d(b, y, { out: row.dims[0], k: 3, stride: 2, bias: true }));
    return activation(b, b.scope(4, () => batchNorm(b, y)), 'relu');
  }));
  row.dims.forEach((dim, s) => {
    if (s > 0)
      x = b.scope(`network.${2 * s - 1}`, () => {
        const y = b.scope('proj', () => conv2d(b, x, { out: dim, k: 3, stride: 2, bias: true }));
        return b.scope('norm', () => batchNorm(b, y));
      });
    x = b.stage(`network.${2 * s}`, () => b.scope(`network.${2 * s}`, () => {
      let y = x;
      for (let i = 0; i < row.depths[s] - 1; i++) y = b.scope(i, () => convEncoder(ctx, y, Math.floor(row.convRatio * dim)));
      return b.scope(row.depths[s] - 1, () => swiftFormerEncoder(ctx, y, row.mlpRatio));
    }));
  });
  const pooled = globalPool(b, b.scope('norm', () => batchNorm(b, x)));
  const head = b.scope('head', () => classifier(b, pooled, ctx.classes));
  const dist = b.scope('dist_head', () => classifier(b, pooled, ctx.classes));
  // eval output of the distilled model: the mean of both heads
  return b.op.Mul([b.op.Add([head, dist]), b.floats([0.5])]);
}

const row = (dims: SwiftFormerRow['dims'], depths: SwiftFormerRow['depths']): SwiftFormerRow => ({ dims, depths, mlpRatio: 4, convRatio: 4 });

const README = 'Amshaker/SwiftFormer README.md (ImageNet-1k, with distillation)';

export const swiftformer: Family<SwiftFormerRow> = {
  name: 'swiftformer',
  title: 'SwiftFormer',
  paper: 'Shaker et al., SwiftFormer, ICCV 2023 (arXiv:2303.15446)',
  reference: 'Amshaker/SwiftFormer models/swiftformer.py',
  variants: {
    swiftformer_xs: row([48, 56, 112, 220], [3, 3, 6, 4]),
    swiftformer_s: row([48, 64, 168, 224], [3, 3, 9, 6]),
    swiftformer_l1: row([48, 96, 192, 384], [4, 3, 10, 5]),
    swiftformer_l3: row([64, 128, 320, 512], [4, 4, 12, 6]),
  },
  widthOf: () => 1,
  withWidth: (r, w) => ({ ...r, dims: r.dims.map((d) => scaled(d, w)) as unknown as SwiftFormerRow['dims'] }),
  structure: {
    depth: { of: (r) => r.depths, set: (r, v) => ({ ...r, depths: [...v] as unknown as SwiftFormerRow['depths'] }) },
    ffn: { of: (r) => r.mlpRatio, set: (r, mlpRatio) => ({ ...r, mlpRatio }) },
    expand: { of: (r) => r.convRatio, set: (r, convRatio) => ({ ...r, convRatio }) },
  },
  attention: ['additive', 'separable', 'mhsa', 'none'],
  resolution: 224,
  resolutionStep: 32,
  build: swiftFormerNet,
  published: {
    swiftformer_xs: { top1: 75.7, source: README },
    swiftformer_s: { top1: 78.5, source: README },
    swiftformer_l1: { top1: 80.9, source: README },
    swiftformer_l3: { top1: 83.0, source: README },
  },
  classifierPrefixes: ['head.', 'dist_head.'],
};
