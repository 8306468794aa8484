/** An .onnx file's cells in a sweep: the bytes they run and the accuracy they carry (none: a file has no family to train or look up). */
import { writeFileSync } from 'node:fs';
import { onnxModelBytes, type AccuracyPlan, type OnnxCellModel } from '@mvbench/plan';
import type { Accuracy } from '@mvbench/results';
import type { TensorSpec } from '@mvbench/runner-core';

/** writes the model (with the input shapes given written in) to `path` once; what the cells' job needs of it */
export function emitOnnx(m: OnnxCellModel, path: string): { onnxPath: string; inputs: TensorSpec[]; outputs: TensorSpec[]; ops: string[] } {
  writeFileSync(path, onnxModelBytes(m));
  return {
    onnxPath: path,
    inputs: m.inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: 'float32' })),
    // the runners ask for outputs by name; their shapes come from the runtime
    outputs: m.outputs.map((name) => ({ name, shape: [], dtype: 'float32' })),
    ops: m.ops,
  };
}

export function onnxAccuracy(request: AccuracyPlan): Accuracy {
  const none: Accuracy = { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };
  if (request.kind === 'none' || request.kind === 'published') return none;
  return { ...none, error: `accuracy of kind '${request.kind}' needs a model spec (a family's preprocessing and head); an .onnx file is timed only` };
}
