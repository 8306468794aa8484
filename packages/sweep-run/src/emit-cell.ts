/**
 * A cell's model, emitted once per spec (or .onnx file) into a work folder: what the cell job needs, or the user
 * error that keeps it from running. The sweep on one machine and a queue's worker emit the same way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MvbenchError, type ErrorCode } from '@mvbench/core';
import { parseSpec, type ModelInfo, type ModelSpec } from '@mvbench/dsl';
import { prepareModel } from '@mvbench/pipeline';
import type { Cell } from '@mvbench/plan';
import type { TensorSpec } from '@mvbench/runner-core';
import { emitOnnx } from './onnx-cell.ts';

export interface Emitted {
  /** undefined for an .onnx file's cells */
  spec?: ModelSpec;
  info?: ModelInfo;
  onnxPath?: string;
  inputs?: TensorSpec[];
  outputs?: TensorSpec[];
  ops?: string[];
  error?: { code: ErrorCode; message: string };
}

/** profiled inferences of a profiled cell */
export const PROFILE_RUNS = 10;

/** emit(cell) writes the cell's model on first use; emitted(spec) is what was emitted for it, if anything */
export function cellEmitter(dir: string, seed: number) {
  const emitted = new Map<string, Emitted>();
  const emit = ({ spec: specText, onnx }: Pick<Cell, 'spec' | 'onnx'>): Emitted => {
    const cached = emitted.get(specText);
    if (cached) return cached;
    const spec = onnx ? undefined : parseSpec(specText);
    let e: Emitted;
    try {
      const onnxPath = join(dir, `${emitted.size}.onnx`);
      if (onnx) e = emitOnnx(onnx, onnxPath);
      else {
        const m = prepareModel(specText, { seed });
        writeFileSync(onnxPath, m.onnx);
        e = { spec, info: m.info, onnxPath, inputs: m.artifact.inputs, outputs: m.artifact.outputs, ops: m.artifact.ops };
      }
    } catch (err) {
      if (!(err instanceof MvbenchError)) throw err;
      e = { spec, error: { code: err.code, message: err.message } };
    }
    emitted.set(specText, e);
    return e;
  };
  return { emit, emitted: (spec: string) => emitted.get(spec) };
}
