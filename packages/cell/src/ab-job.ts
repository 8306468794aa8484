/** Messages between the regression check and its measuring child process. */
import type { ErrorCode } from '@mvbench/core';
import type { RunnerContext } from '@mvbench/runner-core';

export interface AbJob {
  runner: string;
  threads: number;
  graphOptimization: string;
  basePath: string;
  headPath: string;
  budgetMs: number;
  minRounds: number;
  /** handles of shared resources; measureAb fills it from the runner's descriptor */
  context?: RunnerContext;
}

export type AbOutcome =
  | { ok: true; base: number[]; head: number[]; calibrationMs: number; versions: Record<string, string> }
  | { ok: false; code: ErrorCode; message: string };
