/** Pieces shared by the families: the MV2 inverted residual and the knob-dependent checks. */
import { userError } from '@mvbench/core';
import { shapeString } from '@mvbench/ir';
import type { GraphBuilder, Value } from '../builder.ts';
import { convBnAct, makeDivisible, type Activation } from '../layers.ts';
import type { AttentionKind } from '../attention.ts';

/** What a family's `build` receives: the variant row after the knobs were applied. */
export interface BuildContext {
  b: GraphBuilder;
  /** the model spec being built, for messages */
  spec: string;
  attention: AttentionKind;
  /** patch size per transformer stage, when the family has patches */
  patch: readonly number[];
  /** outputs of the classifier: 1000 (ImageNet-1k) unless a task says otherwise (proxy training, a fine-tuned checkpoint) */
  classes: number;
}

/**
 * timm byobnet BottleneckBlock as MobileViT uses it (scopes conv1_1x1, conv2_kxk, conv3_1x1):
 * 1x1 expand -> BN -> act -> 3x3 depthwise (stride) -> BN -> act -> 1x1 project -> BN, residual when shapes allow.
 */
export function mv2Block(b: GraphBuilder, x: Value, out: number, stride: number, expansion: number, act: Activation = 'silu'): Value {
  const hidden = makeDivisible(x.shape[1] * expansion, 8);
  let y = b.scope('conv1_1x1', () => convBnAct(b, x, { out: hidden, k: 1, act }));
  y = b.scope('conv2_kxk', () => convBnAct(b, y, { out: hidden, k: 3, stride, groups: hidden, act }));
  y = b.scope('conv3_1x1', () => convBnAct(b, y, { out, k: 1 }));
  return stride === 1 && x.shape[1] === out ? b.op.Add([y, x]) : y;
}

/** the patch of a MobileViT block must tile its feature map exactly (the reference would silently resize) */
export function checkPatch(ctx: BuildContext, x: Value, patch: number, block: string, stride: number): void {
  const [, , h, w] = x.shape;
  if (h % patch === 0 && w % patch === 0) return;
  throw userError(
    'PATCH_DOES_NOT_DIVIDE',
    `${ctx.spec}: block '${block}' has a ${h}x${w} feature map (shape ${shapeString(x.shape)}) that patch ${patch}x${patch} ` +
      `does not tile. Use a resolution that is a multiple of ${stride * patch} (output stride ${stride} x patch ${patch}) ` +
      `or a smaller patch.`,
  );
}

/** channels scaled by a width multiplier, rounded like timm (multiples of 8, never below 90%) */
export const scaled = (c: number, width: number): number => (width === 1 ? c : makeDivisible(c * width, 8));
