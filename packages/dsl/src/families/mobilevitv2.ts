/**
 * MobileViTv2: "Separable Self-attention for Mobile Vision Transformers" (Mehta & Rastegari, TMLR 2023,
 * arXiv:2206.02680). Follows timm `timm/models/mobilevit.py` (MobileVitV2Block, LinearSelfAttention); channel
 * formulas from ml-cvnets `config/mobilevit_v2.py`. Every width multiplier α is a row of this function.
 */
import type { Family } from '../family.ts';
import { makeDivisible } from '../layers.ts';
import { mobileVitNet, mobileVitStructure, type MobileVitRow } from './mobilevit.ts';

function mobileVitV2Row(alpha: number): MobileVitRow {
  const md = (v: number, d = 8) => makeDivisible(v, d);
  const stage = (c: number, d: number, depth: number) => {
    const dim = md(d * alpha);
    return { out: md(c * alpha), dim, depth };
  };
  return {
    version: 2,
    stem: md(Math.min(64, Math.max(16, 32 * alpha))),
    expansion: 2,
    mlpRatio: 2,
    layer1: { out: md(64 * alpha, 16), n: 1 },
    layer2: { out: md(128 * alpha), n: 2 },
    stages: [stage(256, 128, 2), stage(384, 192, 4), stage(512, 256, 3)],
  };
}

const ALPHAS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const idOf = (alpha: number) => `mobilevitv2_${String(Math.round(alpha * 100)).padStart(3, '0')}`;

export const mobilevitv2: Family<MobileVitRow> = {
  name: 'mobilevitv2',
  title: 'MobileViTv2',
  paper: 'Mehta & Rastegari, Separable Self-attention for Mobile Vision Transformers, TMLR 2023 (arXiv:2206.02680)',
  reference: 'timm/models/mobilevit.py (MobileVitV2Block, LinearSelfAttention), apple/ml-cvnets',
  variants: Object.fromEntries(ALPHAS.map((a) => [idOf(a), mobileVitV2Row(a)])),
  widthOf: (id) => Number(id.slice('mobilevitv2_'.length)) / 100,
  // the knobs are applied after the width, so the α's row is the whole starting point
  withWidth: (_row, width) => mobileVitV2Row(width),
  // no dims knob: v2's transformer widths are the α's (d = C/2), not a separate axis of the paper
  structure: mobileVitStructure,
  attention: ['separable', 'mhsa', 'additive', 'none'],
  patch: [2, 2, 2],
  resolution: 256,
  resolutionStep: 32,
  build: mobileVitNet,
  published: Object.fromEntries(
    ALPHAS.map((a, i) => [idOf(a), { top1: [70.18, 75.56, 78.09, 79.65, 80.38, 80.84, 81.17][i], source: 'apple/ml-cvnets model zoo (docs/source/en/general/README-model-zoo.md)' }]),
  ),
  classifierPrefixes: ['head.'],
};
