/** What the onnxruntime-web runners share: versions, op support per device, feed checks, error wrapping. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MvbenchError } from '@mvbench/core';
import type { Feeds, ModelArtifact, Outputs, Support } from '@mvbench/runner-core';

export type Device = 'wasm' | 'webgl' | 'webgpu';

/** dist/ of the installed onnxruntime-web: the bundles and wasm builds served to pages */
export const ortDist = (): string => dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));

export const ortWebVersion = (): string =>
  (JSON.parse(readFileSync(join(ortDist(), '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Ops the WebGL execution provider implements at the opsets we emit (17; onnxruntime-web 1.30
 * docs/webgl-operators.md). It has no CPU fallback: LayerNormalization, Erf, HardSigmoid, ReduceL2 are missing,
 * ReduceSum and Split only exist before opset 13, and its Resize fails on the empty roi/scales inputs that every
 * sizes-based Resize carries. The wasm and WebGPU providers run every standard op (WebGPU falls back to wasm per node).
 */
const WEBGL_OPS = new Set([
  'Add', 'BatchNormalization', 'Clip', 'Concat', 'Constant', 'Conv', 'Div', 'Flatten', 'Gemm', 'GlobalAveragePool',
  'Identity', 'InstanceNormalization', 'MatMul', 'Mul', 'Pow', 'ReduceMean', 'Relu', 'Reshape',
  'Sigmoid', 'Softmax', 'Sqrt', 'Sub', 'Tanh', 'Transpose',
]);

export function supportsOn(runnerId: string, device: Device, model: ModelArtifact): Support {
  if (device !== 'webgl') return { ok: true };
  const unsupportedOps = model.ops.filter((op) => !WEBGL_OPS.has(op));
  if (!unsupportedOps.length) return { ok: true };
  const reason = `${runnerId} has no kernel for ${unsupportedOps.join(', ')} (model '${model.id}')`;
  return { ok: false, reason, unsupportedOps };
}

/** the feeds in declared input order; throws when one is missing or has the wrong number of values */
export function orderedFeeds(model: ModelArtifact, feeds: Feeds) {
  return model.inputs.map((spec) => {
    const data = feeds[spec.name];
    if (!data) throw new Error(`no feed for input '${spec.name}'`);
    return { name: spec.name, data, shape: spec.shape };
  });
}

export function toOutputs(entries: { name: string; type: string; shape: readonly number[]; data: Float32Array }[]): Outputs {
  const outputs: Outputs = {};
  for (const t of entries) {
    if (t.type !== 'float32') throw new Error(`output '${t.name}' is ${t.type}, expected float32`);
    outputs[t.name] = { data: t.data, shape: [...t.shape] };
  }
  return outputs;
}

/** Wraps a runtime error once, naming the runner and the model; keeps ORT's message, drops its stack. */
export function failed(runnerId: string, model: ModelArtifact, action: string, detail: string, e: unknown): MvbenchError {
  if (e instanceof MvbenchError) return e.message.includes(runnerId) ? e : new MvbenchError(e.code, `${runnerId}: ${e.message}`, e.user);
  const named = e instanceof Error && e.name !== 'Error' && !e.message.startsWith(e.name) ? `${e.name}: ` : '';
  const message = (named + (e instanceof Error ? e.message : String(e)))
    .split('\n')
    .filter((line) => !/^\s+at |\((https?|file|node):.*:\d+\)$/.test(line)) // stack frames, Node's and the page's
    .join('\n')
    .trim();
  return new MvbenchError('RUNNER_FAILED', `${runnerId} could not ${action} model '${model.id}' (${detail}): ${message}`);
}

export const describeFeeds = (model: ModelArtifact, feeds: Feeds): string =>
  `fed ${Object.entries(feeds).map(([k, v]) => `${k}: ${v.length} values`).join(', ') || 'nothing'}; ` +
  `declared ${model.inputs.map((i) => `${i.name} [${i.shape}]`).join(', ')}`;
