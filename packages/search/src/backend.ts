/**
 * Where a search's measurements and trainings run: on this machine (the default: one measurement at a time, never
 * beside a training; `workers` trainings at once) or as jobs on a queue's workers (mvbench search --queue, opened
 * by @mvbench/queue's searchOnQueue), which take every job at once and run as many as there are workers.
 */
import { accuracyFor } from '@mvbench/accuracy';
import type { Plan } from '@mvbench/plan';
import type { TrainFn } from './accuracy.ts';
import { localMeasure, type MeasureFn } from './latency.ts';

export interface SearchBackend {
  measure: MeasureFn;
  accuracy: TrainFn;
  /** every measurement and training handed over at once (a queue: its workers decide how many run) */
  parallel: boolean;
  close(): Promise<void>;
}

/** opened once the search's settings are known: `name` is its own key space (`search-<settings hash>`), `plan` the
 *  runner, seed and accuracy kind its workers read */
export type OpenBackend = (run: { name: string; plan: Plan }) => Promise<SearchBackend>;

export function localBackend(seed: number): SearchBackend {
  const { measure, dispose } = localMeasure(seed);
  return { measure, accuracy: accuracyFor, parallel: false, close: async () => dispose() };
}
