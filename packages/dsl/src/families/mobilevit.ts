/**
 * MobileViT v1: "MobileViT: Light-weight, General-purpose, and Mobile-friendly Vision Transformer"
 * (Mehta & Rastegari, ICLR 2022). Follows timm `timm/models/mobilevit.py` (MobileVitBlock) and ml-cvnets; names
 * are timm's state_dict names. The MobileViT-block macro-architecture here is shared with MobileViTv2.
 */
import type { Value } from '../builder.ts';
import type { Family, StructureKnobs } from '../family.ts';
import { applyAttention, headsFor, type Layout } from '../attention.ts';
import { activation, classifier, convBnAct, conv2d, globalPool, groupNorm1, layerNorm, linear } from '../layers.ts';
import { rearrange } from '../rearrange.ts';
import { checkPatch, mv2Block, scaled, type BuildContext } from './common.ts';

interface TransformerStage {
  /** channels of the stage (MV2 output and block output) */
  out: number;
  /** transformer width d */
  dim: number;
  depth: number;
}

export interface MobileVitRow {
  version: 1 | 2;
  stem: number;
  /** expansion of every MV2 block (the `expand` knob) */
  expansion: number;
  /** MLP ratio of the transformer layers (the `ffn` knob): hidden = d·ratio (v1, timm), floor(d·ratio / 16)·16 (v2, ml-cvnets) */
  mlpRatio: number;
  layer1: { out: number; n: number };
  layer2: { out: number; n: number };
  stages: readonly [TransformerStage, TransformerStage, TransformerStage];
  /** v1 only: 1x1 expansion conv before the pool */
  finalConv?: number;
}

/**
 * v1 block (scopes as timm MobileVitBlock): local 3x3 conv, 1x1 to d, unfold to [B*P, N, d], pre-norm
 * transformer (LayerNorm), fold, 1x1 projection, concat with the input and a 3x3 fusion conv.
 */
function v1Block(ctx: BuildContext, x: Value, st: TransformerStage, ffn: number, patch: number): Value {
  const { b } = ctx;
  const c = x.shape[1];
  let y = b.scope('conv_kxk', () => convBnAct(b, x, { out: c, k: 3, act: 'silu' }));
  y = b.scope('conv_1x1', () => conv2d(b, y, { out: st.dim, k: 1 }));
  const [batch, , h, w] = y.shape;
  // [B, d, H, W] -> [B*P, N, d]: attention over the N patches, separately for each of the P pixel offsets
  let t = rearrange(b, y, 'b d (nh ph) (nw pw) -> (b ph pw) (nh nw) d', { ph: patch, pw: patch });
  t = transformer(ctx, t, st, ffn, 'tokens');
  t = b.scope('norm', () => layerNorm(b, t));
  y = rearrange(b, t, '(b ph pw) (nh nw) d -> b d (nh ph) (nw pw)', { b: batch, ph: patch, pw: patch, nh: h / patch });
  y = b.scope('conv_proj', () => convBnAct(b, y, { out: c, k: 1, act: 'silu' }));
  const cat = b.op.Concat([x, y], { axis: 1 });
  return b.scope('conv_fusion', () => convBnAct(b, cat, { out: c, k: 3, act: 'silu' }));
}

/**
 * v2 block (timm MobileVitV2Block): depthwise 3x3, 1x1 to d, unfold to [B, d, P, N], pre-norm transformer with
 * GroupNorm(1) and 1x1-conv MLP, fold, 1x1 projection without activation. No fusion, no residual.
 */
function v2Block(ctx: BuildContext, x: Value, st: TransformerStage, ffn: number, patch: number): Value {
  const { b } = ctx;
  const c = x.shape[1];
  let y = b.scope('conv_kxk', () => convBnAct(b, x, { out: c, k: 3, groups: c, act: 'silu' }));
  y = b.scope('conv_1x1', () => conv2d(b, y, { out: st.dim, k: 1 }));
  const h = y.shape[2];
  let t = rearrange(b, y, 'b d (nh ph) (nw pw) -> b d (ph pw) (nh nw)', { ph: patch, pw: patch });
  t = transformer(ctx, t, st, ffn, 'patches');
  t = b.scope('norm', () => groupNorm1(b, t));
  y = rearrange(b, t, 'b d (ph pw) (nh nw) -> b d (nh ph) (nw pw)', { ph: patch, pw: patch, nh: h / patch });
  return b.scope('conv_proj', () => convBnAct(b, y, { out: c, k: 1 }));
}

/** pre-norm layers `x += attn(norm1(x)); x += mlp(norm2(x))`; v1 uses LayerNorm + Linear, v2 GroupNorm1 + 1x1 conv */
function transformer(ctx: BuildContext, x: Value, st: TransformerStage, ffn: number, layout: Layout): Value {
  const { b } = ctx;
  const norm = (y: Value) => (layout === 'tokens' ? layerNorm(b, y) : groupNorm1(b, y));
  const dense = (y: Value, out: number) => (layout === 'tokens' ? linear(b, y, out) : conv2d(b, y, { out, k: 1, bias: true }));
  return b.scope('transformer', () => {
    let y = x;
    for (let i = 0; i < st.depth; i++)
      y = b.scope(i, () => {
        let z = y;
        if (ctx.attention !== 'none') {
          const kind = ctx.attention;
          const n1 = b.scope('norm1', () => norm(z));
          const a = b.scope('attn', () => applyAttention(b, n1, kind, layout, headsFor(st.dim)));
          z = b.op.Add([z, a]);
        }
        const n2 = b.scope('norm2', () => norm(z));
        const m = b.scope('mlp', () => {
          const hidden = b.scope('fc1', () => dense(n2, ffn));
          const act = activation(b, hidden, 'silu');
          return b.scope('fc2', () => dense(act, st.dim));
        });
        return b.op.Add([z, m]);
      });
    return y;
  });
}

/** MLP hidden width of a transformer layer of width `dim`: v1 as timm (int(d·ratio)), v2 as ml-cvnets (multiples of 16) */
const ffnHidden = (row: MobileVitRow, dim: number): number =>
  row.version === 1 ? Math.floor(dim * row.mlpRatio) : Math.floor((dim * row.mlpRatio) / 16) * 16;

export function mobileVitNet(ctx: BuildContext, row: MobileVitRow, input: Value): Value {
  const { b } = ctx;
  let x = b.stage('stem', () => b.scope('stem', () => convBnAct(b, input, { out: row.stem, k: 3, stride: 2, act: 'silu' })));
  let stride = 2;
  x = b.stage('stages.0', () => b.scope('stages.0', () => {
    let y = x;
    for (let i = 0; i < row.layer1.n; i++) y = b.scope(i, () => mv2Block(b, y, row.layer1.out, 1, row.expansion));
    return y;
  }));
  x = b.stage('stages.1', () => b.scope('stages.1', () => {
    let y = x;
    for (let i = 0; i < row.layer2.n; i++) y = b.scope(i, () => mv2Block(b, y, row.layer2.out, i === 0 ? 2 : 1, row.expansion));
    return y;
  }));
  stride *= 2;
  row.stages.forEach((st, s) => {
    stride *= 2;
    const name = `stages.${s + 2}`;
    x = b.stage(name, () => b.scope(name, () => {
      const y = b.scope(0, () => mv2Block(b, x, st.out, 2, row.expansion));
      checkPatch(ctx, y, ctx.patch[s], `${name}.1`, stride);
      return b.scope(1, () => (row.version === 1 ? v1Block : v2Block)(ctx, y, st, ffnHidden(row, st.dim), ctx.patch[s]));
    }));
  });
  if (row.finalConv) x = b.stage('final_conv', () => b.scope('final_conv', () => convBnAct(b, x, { out: row.finalConv!, k: 1, act: 'silu' })));
  return b.scope('head.fc', () => classifier(b, globalPool(b, x), ctx.classes));
}

/** one number per MobileViT block, read from and written to the row's transformer stages */
const perStage = (key: 'depth' | 'dim') => ({
  of: (row: MobileVitRow) => row.stages.map((s) => s[key]),
  set: (row: MobileVitRow, v: readonly number[]): MobileVitRow => ({
    ...row,
    stages: row.stages.map((s, i) => ({ ...s, [key]: v[i] })) as unknown as MobileVitRow['stages'],
  }),
});

/** knobs v1 and v2 share: transformer layers per MobileViT block, their MLP ratio, the expansion of every MV2 block */
export const mobileVitStructure: StructureKnobs<MobileVitRow> = {
  depth: perStage('depth'),
  ffn: { of: (row) => row.mlpRatio, set: (row, mlpRatio) => ({ ...row, mlpRatio }) },
  expand: { of: (row) => row.expansion, set: (row, expansion) => ({ ...row, expansion }) },
};

const v1 = (stem: number, expansion: number, l1: number, l2: number, st: [number, number, number][], finalConv: number): MobileVitRow => ({
  version: 1,
  stem,
  expansion,
  mlpRatio: 2,
  layer1: { out: l1, n: 1 },
  layer2: { out: l2, n: 3 },
  stages: st.map(([out, dim, depth]) => ({ out, dim, depth })) as unknown as MobileVitRow['stages'],
  finalConv,
});

const ZOO = 'apple/ml-cvnets model zoo (docs/source/en/general/README-model-zoo.md)';

export const mobilevit: Family<MobileVitRow> = {
  name: 'mobilevit',
  title: 'MobileViT v1',
  paper: 'Mehta & Rastegari, MobileViT, ICLR 2022 (arXiv:2110.02178)',
  reference: 'timm/models/mobilevit.py (MobileVitBlock), apple/ml-cvnets',
  variants: {
    mobilevit_xxs: v1(16, 2, 16, 24, [[48, 64, 2], [64, 80, 4], [80, 96, 3]], 320),
    mobilevit_xs: v1(16, 4, 32, 48, [[64, 96, 2], [80, 120, 4], [96, 144, 3]], 384),
    mobilevit_s: v1(16, 4, 32, 64, [[96, 144, 2], [128, 192, 4], [160, 240, 3]], 640),
  },
  widthOf: () => 1,
  withWidth: (row, w) => ({
    ...row,
    stem: scaled(row.stem, w),
    layer1: { ...row.layer1, out: scaled(row.layer1.out, w) },
    layer2: { ...row.layer2, out: scaled(row.layer2.out, w) },
    stages: row.stages.map((s) => ({ ...s, out: scaled(s.out, w), dim: scaled(s.dim, w) })) as unknown as MobileVitRow['stages'],
    finalConv: scaled(row.finalConv!, w),
  }),
  structure: { ...mobileVitStructure, dims: perStage('dim') },
  attention: ['mhsa', 'separable', 'additive', 'none'],
  patch: [2, 2, 2],
  resolution: 256,
  resolutionStep: 32,
  build: mobileVitNet,
  published: {
    mobilevit_xxs: { top1: 69.0, source: ZOO },
    mobilevit_xs: { top1: 74.7, source: ZOO },
    mobilevit_s: { top1: 78.3, source: ZOO },
  },
  classifierPrefixes: ['head.'],
};
