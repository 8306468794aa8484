/** The messages between a parent (sweep, regress, a benchmark) and a cell's child process. */
import type { ErrorCode } from '@mvbench/core';
import type { Cell } from '@mvbench/plan';
import type { Profile } from '@mvbench/results';
import type { LatencyStats, LoadWindow, Measurement, RunnerContext, TensorSpec } from '@mvbench/runner-core';

/** measure()'s settings for a cell (a plan's `measure`); measure()'s defaults where absent */
interface CellMeasure {
  budgetMs?: number;
  targetRelCi?: number;
  minRuns?: number;
  maxRuns?: number;
  warmupMaxMs?: number;
  /** a fixed warm-up of this many runs instead of the adaptive one */
  warmupRuns?: number;
  /** global.gc() before every run (the child then runs with --expose-gc) */
  gcBetween?: boolean;
}

export interface CellJob {
  cell: Pick<Cell, 'spec' | 'runner' | 'threads' | 'graphOptimization'>;
  /** handles of shared resources (the sweep's Chromium); measureCell fills it from the runner's descriptor */
  context?: RunnerContext;
  /** the emitted model, written once per spec by the parent */
  onnxPath: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  ops: string[];
  measure: CellMeasure;
  /** profiled inferences after the measurement, in a separate session (0: no profile) */
  profileRuns: number;
  /** a naive loop on the same session before measure() (benchmarks/precision): fixed warm-up and timed runs */
  baseline?: { warmupRuns: number; runs: number };
}

/** what measure() said besides the stats and samples (of the first process when several are pooled) */
type MeasurementDetail = Omit<Measurement, 'stats' | 'samplesMs'>;

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
      detail: MeasurementDetail;
      baseline?: Measurement;
      peakRssMb: number;
      /** CPU time of the cell's process, ms */
      cpuMs: number;
      profile: Profile | null;
      /** the machine's and our process tree's CPU counters across the timed runs; null without /proc */
      load: LoadWindow | null;
    }
  | { ok: false; code: ErrorCode; message: string; versions?: Record<string, string> };
