/** The calibration MatMul (runner-core's calibrate()): one N x N x N fp32 MatMul, input [N, N] times a weight. */
import { GraphBuilder } from '@mvbench/dsl';
import { toOnnx } from '@mvbench/onnx';
import { CALIBRATION_MATMUL_N, type ModelArtifact } from '@mvbench/runner-core';
import { artifactOf } from './model-artifact.ts';

export function calibrationArtifact(n = CALIBRATION_MATMUL_N): ModelArtifact {
  const b = new GraphBuilder('calibration');
  const x = b.input('input', [n, n]);
  const w = b.param('w', [n, n], { kind: 'uniform', low: -0.1, high: 0.1 });
  b.output(b.op.MatMul([x, w]), 'y');
  const g = b.finish();
  return artifactOf('calibration', g, toOnnx(g));
}
