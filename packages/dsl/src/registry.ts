/**
 * The registry: every family, hence every canonical id. Tests, the CLI and sweeps enumerate models from here,
 * so a variant added to a family is built, checked, emitted, run and swept without further code.
 */
import { MvbenchError, userError } from '@mvbench/core';
import { countMacs, countParams, opHistogram, type Graph } from '@mvbench/ir';
import { GraphBuilder } from './builder.ts';
import type { AnyFamily } from './family.ts';
import { mobilevit } from './families/mobilevit.ts';
import { mobilevitv2 } from './families/mobilevitv2.ts';
import { swiftformer } from './families/swiftformer.ts';
import { mobilenetv2 } from './families/mobilenetv2.ts';
import { knobValues, resolveSpec, specRow, type KnobValues, type ModelSpec } from './spec.ts';

export const FAMILIES: readonly AnyFamily[] = [mobilevit, mobilevitv2, swiftformer, mobilenetv2];

export const canonicalIds = (): string[] => FAMILIES.flatMap((f) => Object.keys(f.variants));

export const parseSpec = (text: string): ModelSpec => resolveSpec(text, FAMILIES);

export interface BuiltModel {
  spec: ModelSpec;
  graph: Graph;
  /** output shape of each top-level stage (`stem`, `stages.0`, `network.2`, ...) in build order */
  stageShapes: { name: string; shape: number[] }[];
}

export interface BuildOptions {
  seed?: number;
  batch?: number;
  /** classifier outputs (default 1000, ImageNet-1k); not a knob: the head belongs to the task, not the architecture */
  classes?: number;
}

export function buildModel(spec: string | ModelSpec, opts: BuildOptions = {}): BuiltModel {
  const s = typeof spec === 'string' ? parseSpec(spec) : spec;
  const row = specRow(s);
  const b = new GraphBuilder(s.spec, opts.seed ?? 0);
  const x = b.input('input', [opts.batch ?? 1, 3, s.resolution, s.resolution]);
  const classes = opts.classes ?? 1000;
  if (!Number.isInteger(classes) || classes < 2) throw userError('BAD_ARGUMENT', `${s.spec}: classes must be an integer >= 2, got ${classes}`);
  let logits;
  try {
    logits = s.family.build({ b, spec: s.spec, attention: s.attention, patch: s.patch ?? [], classes }, row, x);
  } catch (e) {
    if (e instanceof MvbenchError && !e.message.startsWith(s.spec)) e.message = `${s.spec}: ${e.message}`;
    throw e;
  }
  b.output(logits, 'logits');
  const graph = b.finish();
  return { spec: s, graph, stageShapes: b.stages };
}

export interface ModelInfo {
  spec: string;
  family: string;
  canonical: boolean;
  knobs: KnobValues;
  params: number;
  paramsWithoutClassifier: number;
  macs: number;
  input: number[];
  output: number[];
  stages: { name: string; shape: number[] }[];
  nodes: number;
  ops: Record<string, number>;
}

export function modelInfo(built: BuiltModel): ModelInfo {
  const { spec, graph } = built;
  const classifier = spec.family.classifierPrefixes;
  return {
    spec: spec.spec,
    family: spec.family.name,
    canonical: spec.canonical,
    knobs: knobValues(spec),
    params: countParams(graph),
    paramsWithoutClassifier: countParams(graph, (n) => !classifier.some((p: string) => n.startsWith(p))),
    macs: countMacs(graph),
    input: [...graph.inputs[0].shape],
    output: [...graph.outputs[0].shape],
    stages: built.stageShapes,
    nodes: graph.nodes.length,
    ops: opHistogram(graph),
  };
}
