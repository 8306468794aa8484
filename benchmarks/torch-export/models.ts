/** The two graphs compared: our emission of a reference model with its parity weights, and the torch export. */
import { prepareModel, type PreparedModel } from '@mvbench/pipeline';
import { readOnnxSummary } from '@mvbench/onnx';
import { readdirSync, readFileSync } from 'node:fs';
import { referenceDir, referenceFile } from '@mvbench/fixtures';
import type { ModelArtifact } from '@mvbench/runner-core';

export const ourModel = (model: string, optimize = true): PreparedModel =>
  prepareModel(model, { weights: referenceFile(`parity/${model}.safetensors`), optimize });

/** an artifact for an ONNX file mvbench cannot parse (the torch exports use Shape, Expand, Squeeze, ...) */
export function fromOnnxArtifact(id: string, onnx: Uint8Array): ModelArtifact {
  const s = readOnnxSummary(onnx);
  const tensor = (v: { name: string; shape: (number | string)[] }) => ({ name: v.name, shape: v.shape.map(Number), dtype: 'float32' as const });
  return { id, onnx, inputs: s.inputs.map(tensor), outputs: s.outputs.map(tensor), ops: Object.keys(s.opHistogram) };
}

/** nodes excluding Identity and Constant: the count to compare graphs by (reference/README.md) */
export const computeNodes = (onnx: Uint8Array): number => readOnnxSummary(onnx).computeNodeCount;

/** the reference models that have a torch export: every `torch-export/<model>.onnx` */
export const torchExported = (): string[] =>
  readdirSync(`${referenceDir()}/torch-export`).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -'.onnx'.length)).sort();

export const torchExport = (model: string): ModelArtifact =>
  fromOnnxArtifact(`${model} (torch export)`, new Uint8Array(readFileSync(referenceFile(`torch-export/${model}.onnx`))));
