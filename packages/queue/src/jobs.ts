/** What travels through the queues: the sweep's settings for workers, the jobs, and what comes back. */
import type { Cell, Plan } from '@mvbench/plan';
import type { Accuracy, ResultRow } from '@mvbench/results';

/** written by the coordinator under SWEEPS_KEY while the sweep runs */
export interface SweepMeta {
  sweep: string;
  plan: Plan;
  /** the machine class every latency cell needs */
  machineClass: string;
  /** how long a silent worker keeps its job before another may take it */
  lockMs: number;
  /** tries of a job (a worker killed mid-cell counts as one) before it becomes an error row */
  attempts: number;
  startedAt: string;
}

export interface CellJobData {
  cell: Cell;
  accuracy: Accuracy;
}

export interface AccuracyJobData {
  spec: string;
}

export type ResultData = { kind: 'row'; row: ResultRow } | { kind: 'accuracy'; spec: string; accuracy: Accuracy; worker: string };
