/** An .onnx file's cells in a sweep: the bytes they run and the accuracy they carry (none: a file has no family to train or look up). */
import { writeFileSync } from 'node:fs';
import { loadOnnxModel, onnxModelBytes, type AccuracyPlan, type OnnxCellModel } from '@mvbench/plan';
import type { Accuracy } from '@mvbench/results';
import type { ModelArtifact, TensorSpec } from '@mvbench/runner-core';

/** writes the model (with the input shapes given written in) to `path` once; what the cells' job needs of it */
export function emitOnnx(m: OnnxCellModel, path: string): { onnxPath: string; inputs: TensorSpec[]; outputs: TensorSpec[]; ops: string[] } {
  writeFileSync(path, onnxModelBytes(m));
  return { onnxPath: path, ...ioOf(m) };
}

const ioOf = (m: OnnxCellModel): Pick<ModelArtifact, 'inputs' | 'outputs' | 'ops'> => ({
  inputs: m.inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: 'float32' })),
  // the runners ask for outputs by name; their shapes come from the runtime
  outputs: m.outputs.map((name) => ({ name, shape: [], dtype: 'float32' })),
  ops: m.ops,
});

/** an .onnx file as the artifact a runner takes (mvbench run): its input shapes given for dynamic dimensions, `[name=]1x3x224x224` */
export function onnxFileArtifact(file: string, inputShapes: string[] | undefined): ModelArtifact {
  const m = loadOnnxModel({ file, inputShapes }, 'mvbench run');
  return { id: m.spec, onnx: onnxModelBytes(m), ...ioOf(m) };
}

export function onnxAccuracy(request: AccuracyPlan): Accuracy {
  const none: Accuracy = { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };
  if (request.kind === 'none' || request.kind === 'published') return none;
  return { ...none, error: `accuracy of kind '${request.kind}' needs a model spec (a family's preprocessing and head); an .onnx file is timed only` };
}
