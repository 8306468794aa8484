/**
 * A sweep cell's instruction count (plan measure.instructions), taken after its timing so Valgrind never runs
 * beside a measurement. A machine without Valgrind is told once; its rows say why they have no count.
 */
import { countInstructions, valgrindStatus } from '@mvbench/instructions';
import type { Cell } from '@mvbench/plan';
import type { ResultRow } from '@mvbench/results';
import type { TensorSpec } from '@mvbench/runner-core';

/** counted inferences per cell after one warm-up (their median is the count; README, Regression checks) */
const RUNS = 3;
const TIMEOUT_S = 1800;
let told = false;

export async function instructionsOf(cell: Cell, onnxPath: string, inputs: TensorSpec[], warn: (line: string) => void): Promise<Pick<ResultRow, 'instructions' | 'instructionsError'>> {
  const v = valgrindStatus();
  if (!v.ok && !told) warn(`the plan asks for instruction counts, but ${v.reason}; rows get wall time only`);
  told = true;
  const r = await countInstructions({ runner: cell.runner, onnxPath, inputs, graphOptimization: cell.graphOptimization, runs: RUNS, timeoutS: TIMEOUT_S });
  if (!r.ok) return { instructions: null, instructionsError: r.message };
  const { ok: _, ...count } = r;
  return { instructions: count };
}
