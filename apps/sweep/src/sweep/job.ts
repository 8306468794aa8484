/** The messages between the sweep and a cell's child process. */
import type { Cell } from '@mvbench/plan';
import type { Plan } from '@mvbench/plan';
import type { Profile } from '@mvbench/results';
import type { LatencyStats, LoadWindow, TensorSpec } from '@mvbench/runner-core';

export interface CellJob {
  cell: Cell;
  /** the emitted model, written once per spec by the parent */
  onnxPath: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  ops: string[];
  measure: Plan['measure'];
  /** profiled inferences after the measurement, in a separate session (0: no profile) */
  profileRuns: number;
}

export type CellOutcome =
  | {
      ok: true;
      versions: Record<string, string>;
      threadsUsed: number;
      runnerSettings: Record<string, string | number | boolean>;
      sessionCreateMs: number;
      firstRunMs: number;
      stats: LatencyStats;
      samplesMs: number[];
      converged: boolean;
      warmupRuns: number;
      peakRssMb: number;
      profile: Profile | null;
      /** the machine's and our process tree's CPU counters across the timed runs; null without /proc */
      load: LoadWindow | null;
    }
  | { ok: false; code: string; message: string; versions?: Record<string, string> };
