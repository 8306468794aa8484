/**
 * What travels through the queues: the sweep's (or search's) settings for workers, the jobs, and what comes back.
 * A sweep's jobs send their results to the coordinator on the results queue; a search's jobs (a measurement with its
 * own settings, a training with its own request) return theirs as the job's return value, which the search awaits.
 */
import type { CellOutcome } from '@mvbench/cell';
import type { AccuracyPlan, Cell, Plan } from '@mvbench/plan';
import type { Accuracy, ResultRow } from '@mvbench/results';
import type { EnvironmentFingerprint } from '@mvbench/runner-core';

/** written by the coordinator under SWEEPS_KEY while the sweep (or search) runs */
export interface SweepMeta {
  /** the sweep's name, or `search-<settings hash>`: the jobs' key space */
  sweep: string;
  /** a search's plan says its runner, seed and accuracy kind; its jobs carry their own settings */
  plan: Plan;
  /** the machine class every latency cell needs */
  machineClass: string;
  /** how long a silent worker keeps its job before another may take it */
  lockMs: number;
  /** tries of a job (a worker killed mid-cell counts as one) before it becomes an error row */
  attempts: number;
  startedAt: string;
}

/** a sweep's cell: measured by the plan's settings, its row (with the spec's accuracy) goes to the results queue */
export interface SweepCellJob {
  cell: Cell;
  accuracy: Accuracy;
}
/** a search's measurement by its own settings: the job returns a Measured */
interface MeasureJob {
  cell: Cell;
  measure: { budgetMs: number; timeoutS: number };
}
export type CellJobData = SweepCellJob | MeasureJob;

/** a spec's accuracy of the plan's kind (a sweep's; to the results queue) or of its own `request` (a search's; returned) */
export interface AccuracyJobData {
  spec: string;
  request?: AccuracyPlan;
}

export interface WorkerId {
  name: string;
  machineClass: string;
}

/** a search's measurement as its worker returns it: the outcome and the machine it was measured on */
export interface Measured {
  outcome: CellOutcome;
  env: EnvironmentFingerprint;
  worker: WorkerId;
}

export type ResultData = { kind: 'row'; row: ResultRow } | { kind: 'accuracy'; spec: string; accuracy: Accuracy; worker: string };

/** why a job that failed `attempts` times (a worker killed mid-job counts as one) has no result */
export function gaveUp(attempts: number, failedReason: string | undefined, what: 'cell' | 'job'): string {
  const why = /stalled/.test(failedReason ?? '') ? `its worker stopped answering mid-${what} (killed, or cut off from Redis longer than --lock-seconds)` : failedReason;
  return `gave up after ${attempts} ${attempts === 1 ? 'try' : 'tries'} on the queue's workers (--attempts): ${why}`;
}
