/**
 * MobileNetV2 (Sandler et al., CVPR 2018, arXiv:1801.04381), the CNN baseline of the MobileViT and SwiftFormer
 * papers, as timm builds it (`timm/models/efficientnet.py` `_gen_mobilenet_v2`, state_dict names of timm).
 */
import type { Value } from '../builder.ts';
import type { Family } from '../family.ts';
import { activation, batchNorm, classifier, conv2d, globalPool, makeDivisible } from '../layers.ts';
import type { BuildContext } from './common.ts';

export interface MobileNetV2Row {
  alpha: number;
  /** repeats n per stage of BLOCKS (the `depth` knob) */
  repeats: readonly number[];
  /** expansion t of the inverted residuals, the stages whose t is 6 in the paper's table (the `expand` knob); the
   *  first stage (t = 1) has no expansion conv and stays a depthwise-separable block */
  expansion: number;
}

/** (expansion t, channels c, repeats n, stride s) before the width multiplier; t and n are the defaults of the knobs */
const BLOCKS: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

function convBn(ctx: BuildContext, x: Value, conv: string, bn: string, out: number, k: number, stride = 1, groups = 1, act = true): Value {
  const { b } = ctx;
  const c = b.scope(conv, () => conv2d(b, x, { out, k, stride, groups }));
  const y = b.scope(bn, () => batchNorm(b, c));
  return act ? activation(b, y, 'relu6') : y;
}

function mobileNetV2Net(ctx: BuildContext, row: MobileNetV2Row, input: Value): Value {
  const round = (c: number) => makeDivisible(c * row.alpha, 8);
  let x = ctx.b.stage('stem', () => convBn(ctx, input, 'conv_stem', 'bn1', round(32), 3, 2));
  BLOCKS.forEach(([t, c, , s], stage) => {
    const first = x;
    for (let i = 0; i < row.repeats[stage]; i++)
      x = ctx.b.scope(`blocks.${stage}.${i}`, () => {
        const inC = x.shape[1], out = round(c), stride = i === 0 ? s : 1;
        let y: Value;
        if (t === 1) {
          // depthwise-separable block: dw3x3 -> BN -> ReLU6 -> 1x1 -> BN
          y = convBn(ctx, x, 'conv_dw', 'bn1', inC, 3, stride, inC);
          y = convBn(ctx, y, 'conv_pw', 'bn2', out, 1, 1, 1, false);
        } else {
          const hidden = makeDivisible(inC * row.expansion, 8);
          y = convBn(ctx, x, 'conv_pw', 'bn1', hidden, 1);
          y = convBn(ctx, y, 'conv_dw', 'bn2', hidden, 3, stride, hidden);
          y = convBn(ctx, y, 'conv_pwl', 'bn3', out, 1, 1, 1, false);
        }
        return stride === 1 && inC === out ? ctx.b.op.Add([y, x]) : y;
      });
    ctx.b.stage(`blocks.${stage}`, () => (first === x ? first : x));
  });
  x = ctx.b.stage('conv_head', () => convBn(ctx, x, 'conv_head', 'bn2', Math.max(1280, round(1280)), 1));
  return ctx.b.scope('classifier', () => classifier(ctx.b, globalPool(ctx.b, x), ctx.classes));
}

const ALPHAS = [0.5, 1, 1.4];

const TIMM = 'timm results/results-imagenet.csv (re-evaluation of the timm weights)';

export const mobilenetv2: Family<MobileNetV2Row> = {
  name: 'mobilenetv2',
  title: 'MobileNetV2 (CNN baseline)',
  paper: 'Sandler et al., MobileNetV2, CVPR 2018 (arXiv:1801.04381)',
  reference: 'timm/models/efficientnet.py _gen_mobilenet_v2',
  variants: Object.fromEntries(
    ALPHAS.map((a) => [`mobilenetv2_${String(Math.round(a * 100)).padStart(3, '0')}`, { alpha: a, repeats: BLOCKS.map((r) => r[2]), expansion: 6 }]),
  ),
  widthOf: (id) => Number(id.slice('mobilenetv2_'.length)) / 100,
  withWidth: (row, width) => ({ ...row, alpha: width }),
  // no ffn (no MLP) and no dims (no transformer)
  structure: {
    depth: { of: (r) => r.repeats, set: (r, repeats) => ({ ...r, repeats }) },
    expand: { of: (r) => r.expansion, set: (r, expansion) => ({ ...r, expansion }) },
  },
  attention: ['none'],
  resolution: 224,
  resolutionStep: 32,
  build: mobileNetV2Net,
  published: {
    mobilenetv2_050: { top1: 65.928, source: TIMM },
    mobilenetv2_100: { top1: 72.91, source: TIMM },
    mobilenetv2_140: { top1: 76.528, source: TIMM },
  },
  classifierPrefixes: ['classifier.'],
};
