/** A family is code (how to build) plus data (its variants as rows); knobs map a row to a new row. */
import type { GraphBuilder, Value } from './builder.ts';
import type { AttentionKind } from './attention.ts';
import type { BuildContext } from './families/common.ts';

/** a search-space knob as a family sees it: its value on a variant row, and the row with it changed */
export interface RowKnob<Row, V> {
  of(row: Row): V;
  set(row: Row, value: V): Row;
}

/**
 * The papers' design axes a family exposes as knobs (spec.ts validates them); a knob a family leaves out does not
 * apply to it. depth: per-stage block counts; ffn: MLP ratio of the transformer blocks; expand: expansion of the
 * inverted-residual (conv) blocks; dims: per-stage transformer widths.
 */
export interface StructureKnobs<Row> {
  depth?: RowKnob<Row, readonly number[]>;
  ffn?: RowKnob<Row, number>;
  expand?: RowKnob<Row, number>;
  dims?: RowKnob<Row, readonly number[]>;
}

export interface Family<Row = unknown> {
  name: string;
  title: string;
  /** paper and reference implementation the definition follows */
  paper: string;
  reference: string;
  /** canonical ids (timm naming) -> their variant rows; ids are listed nowhere else */
  variants: Readonly<Record<string, Row>>;
  /** the width knob: the value a canonical id stands for (its α, or 1 where width multiplies the variant) */
  widthOf(id: string): number;
  withWidth(row: Row, width: number, id: string): Row;
  /** depth, ffn, expand, dims: applied after the width, so a value given is the value built */
  structure: StructureKnobs<Row>;
  /** attention kinds this family can use; the first is the canonical one */
  attention: readonly AttentionKind[];
  /** patch sizes of the canonical models, one per transformer stage; absent: the family has no patches */
  patch?: readonly number[];
  resolution: number;
  /** the smallest input side the family accepts; resolutions must also be multiples of `resolutionStep` */
  resolutionStep: number;
  /** builds the network on input x and returns the logits [B, classes] */
  build(ctx: BuildContext, row: Row, x: Value): Value;
  /** ImageNet-1k top-1 (%) of the released weights of each canonical id, and where it is published */
  published: Readonly<Record<string, { top1: number; source: string }>>;
  /** checkpoint tensor names that belong to the classifier (for params without the classifier) */
  classifierPrefixes: readonly string[];
}

export type AnyFamily = Family<any>;
export type { GraphBuilder };
