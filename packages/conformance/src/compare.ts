/**
 * A runner's outputs against onnxruntime-node's on the same ONNX bytes and feeds. Tolerance: 1e-4 of the largest
 * |reference value| of each output (1e-7 absolute for an all-zero output).
 */
import type { Feeds, ModelArtifact, Outputs, Runner } from '@mvbench/runner-core';

export const REL_TOLERANCE = 1e-4;

export type Verdict =
  | { status: 'match' | 'mismatch'; maxDiff: number; tolerance: number; worst: string }
  | { status: 'unsupported'; unsupportedOps: string[]; reason: string };

export async function outputsOf(runner: Runner, model: ModelArtifact, feeds: Feeds, threads = 1): Promise<Outputs> {
  const prepared = await runner.prepare(model, { threads });
  try {
    return await runner.run(prepared, feeds);
  } finally {
    await runner.dispose(prepared);
  }
}

/** supports() first: a runner that lacks an op must say so, by name, before anything runs */
export async function conform(runner: Runner, model: ModelArtifact, feeds: Feeds, expected: Outputs): Promise<Verdict> {
  const support = runner.supports(model);
  if (!support.ok) return { status: 'unsupported', unsupportedOps: support.unsupportedOps, reason: support.reason };
  const got = await outputsOf(runner, model, feeds);
  let worst = { ratio: -1, maxDiff: 0, tolerance: 0, name: '' };
  for (const [name, ref] of Object.entries(expected)) {
    const out = got[name];
    if (!out) throw new Error(`${runner.id} gave no output '${name}' for '${model.id}' (gave ${Object.keys(got).join(', ')})`);
    if (out.shape.join() !== ref.shape.join())
      throw new Error(`${runner.id}: output '${name}' of '${model.id}' has shape [${out.shape}], expected [${ref.shape}]`);
    let maxDiff = 0, maxAbs = 0;
    for (let i = 0; i < ref.data.length; i++) {
      const d = Math.abs(out.data[i] - ref.data[i]);
      maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
      maxAbs = Math.max(maxAbs, Math.abs(ref.data[i]));
    }
    const tolerance = maxAbs > 0 ? REL_TOLERANCE * maxAbs : 1e-7;
    if (maxDiff / tolerance > worst.ratio) worst = { ratio: maxDiff / tolerance, maxDiff, tolerance, name };
  }
  const status = worst.maxDiff <= worst.tolerance ? 'match' : 'mismatch';
  return { status, maxDiff: worst.maxDiff, tolerance: worst.tolerance, worst: worst.name };
}
