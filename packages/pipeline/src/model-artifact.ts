/** spec -> graph (+ checkpoint) -> ONNX bytes -> the artifact runners take. The one path every command uses. */
import { existsSync, readFileSync } from 'node:fs';
import { buildModel, modelInfo, parseSpec, type BuiltModel, type ModelInfo } from '@mvbench/dsl';
import { userError } from '@mvbench/core';
import { type Graph } from '@mvbench/ir';
import { fromOnnx, toOnnx } from '@mvbench/onnx';
import { optimize } from '@mvbench/optimize';
import type { ModelArtifact } from '@mvbench/runner-core';
import { loadCheckpoint, readSafetensorsFile, type SafetensorsFile } from '@mvbench/weights';
import { injectSlowdown } from './inject.ts';

export interface PreparedModel {
  built?: BuiltModel;
  /** facts of the plain graph (params, MACs, nodes), whether or not the emitted graph is optimised */
  info?: ModelInfo;
  /** the graph that was emitted: optimised unless `optimize: false` */
  graph: Graph;
  onnx: Uint8Array;
  artifact: ModelArtifact;
}

export interface PrepareOptions {
  weights?: string;
  seed?: number;
  /** emit the inference-optimised graph (packages/optimize), default true; false: the plain graph the goldens pin */
  optimize?: boolean;
  /**
   * false: the graph and its facts only (`mvbench info`): no ONNX bytes (`onnx` is empty) and the tensors the
   * optimiser creates are left uncomputed, so the optimised structure costs no arithmetic over the weights
   */
  emit?: boolean;
  /** extra ops of known cost on the input, for testing regression checks (see inject.ts) */
  injectSlowdown?: number;
  /** images per inference (default 1) */
  batch?: number;
  /** classifier outputs; default: the checkpoint's classifier size when weights are given, else 1000 */
  classes?: number;
}

/** the output size of a checkpoint's classifier (its first classifier weight's rows), if it has one */
function classesOf(ckpt: SafetensorsFile, prefixes: readonly string[]): number | undefined {
  const name = [...ckpt.tensors.keys()].find((n) => prefixes.some((p) => n.startsWith(p)) && n.endsWith('weight') && ckpt.tensors.get(n)!.shape.length === 2);
  return name ? ckpt.tensors.get(name)!.shape[0] : undefined;
}

export function artifactOf(id: string, graph: Graph, onnx: Uint8Array): ModelArtifact {
  const tensor = (v: { name: string; shape: readonly number[] }) => ({ name: v.name, shape: [...v.shape], dtype: 'float32' as const });
  return {
    id,
    onnx,
    inputs: graph.inputs.map(tensor),
    outputs: graph.outputs.map(tensor),
    ops: [...new Set(graph.nodes.map((n) => n.op))],
  };
}

/** a model from a spec string, or from an .onnx file when the argument names one */
export function prepareModel(specOrFile: string, opts: PrepareOptions = {}): PreparedModel {
  if (specOrFile.endsWith('.onnx')) {
    if (!existsSync(specOrFile)) throw userError('FILE_NOT_FOUND', `ONNX file not found: ${specOrFile}`);
    if (opts.weights) throw userError('BAD_ARGUMENT', '--weights applies to model specs, not to .onnx files');
    const onnx = new Uint8Array(readFileSync(specOrFile));
    const graph = fromOnnx(onnx, { name: specOrFile });
    return { graph, onnx, artifact: artifactOf(specOrFile, graph, onnx) };
  }
  const ckpt = opts.weights ? readSafetensorsFile(opts.weights) : undefined;
  const classes = opts.classes ?? (ckpt && classesOf(ckpt, parseSpec(specOrFile).family.classifierPrefixes));
  const built = buildModel(specOrFile, { seed: opts.seed, batch: opts.batch, classes });
  const loaded = ckpt ? loadCheckpoint(built.graph, ckpt, { file: opts.weights }) : built.graph;
  const emit = opts.emit !== false;
  const graph = injectSlowdown(opts.optimize === false ? loaded : optimize(loaded, { values: emit }), opts.injectSlowdown ?? 0);
  const onnx = emit ? toOnnx(graph, { docString: `mvbench model ${built.spec.spec}` }) : new Uint8Array(0);
  return { built, info: modelInfo(built), graph, onnx, artifact: artifactOf(built.spec.spec, graph, onnx) };
}
