/** A search evaluation -> a result row: the sweep's columns (makeRow, the cell engine's) plus the `search` ones. */
import { makeRow } from '@mvbench/cell';
import { parseSpec } from '@mvbench/dsl';
import type { Cell, Plan } from '@mvbench/plan';
import type { Accuracy, ResultRow } from '@mvbench/results';
import type { EnvironmentFingerprint } from '@mvbench/runner-core';
import type { EvaluationRecord } from './evaluate.ts';
import type { Method } from './search.ts';

export interface SearchRun {
  /** the run's name (the rows' `sweep` column) */
  run: string;
  /** the settings' hash (search.key) */
  key: string;
  method: Method;
  seed: number;
  /** a plan describing the search's runner setting and accuracy kind (the rows' plan columns) */
  plan: Plan;
  runner: string;
  threads: number;
  env: EnvironmentFingerprint;
  /** the proxy training of a fidelity as a hash (accuracy.ts trainingKey) */
  training: (level: number) => string;
}

const NO_ACCURACY: Accuracy = { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };

/** one cell per candidate: readers that take the latest row per cell see its highest fidelity */
export const searchCell = (spec: string, runner: string, threads: number): Cell => ({ key: `${spec}|${runner}|t${threads}|all`, spec, runner, threads, graphOptimization: 'all', profile: false });

export function searchRow(s: SearchRun, r: EvaluationRecord): ResultRow {
  const spec = r.candidate.spec;
  const measured = r.latency?.outcome;
  // measured by a queue's worker: its machine (env, worker) is the row's
  const where = r.latency?.where;
  const row = makeRow(
    { sweep: s.run, plan: s.plan, cell: searchCell(spec, s.runner, s.threads), spec: parseSpec(spec), info: r.info, env: where?.env ?? s.env, startedAt: r.startedAt, accuracy: r.accuracy ?? NO_ACCURACY },
    measured ?? { ok: false, code: 'FAILED', message: 'not measured' },
  );
  return {
    ...row,
    ...(!measured && { latency: null, error: null }),
    ...(where && { worker: where.worker }),
    search: {
      key: s.key, method: s.method, seed: s.seed, generation: r.candidate.generation, fidelity: r.level,
      predictedMs: r.predictedMs ?? (r.latency && !measured ? r.latency.ms : null),
      measuredMs: measured?.ok ? measured.stats.median : null,
      violations: r.violations,
      training: r.level !== null && r.accuracy?.kind === 'proxy' ? s.training(r.level) : null,
    },
  };
}

/** the time a search's rows were being evaluated: the union of their intervals [startedAt, startedAt + durationS]
 *  (trainings run side by side, so the sum of durations would count their overlap twice; a pause between runs
 *  is not counted) */
export function spentMs(rows: readonly Pick<ResultRow, 'startedAt' | 'durationS'>[]): number {
  const spans = rows.map((r) => [Date.parse(r.startedAt), Date.parse(r.startedAt) + r.durationS * 1000]).sort((a, b) => a[0] - b[0]);
  let total = 0, end = -Infinity;
  for (const [from, to] of spans) {
    total += Math.max(0, to - Math.max(from, end));
    end = Math.max(end, to);
  }
  return total;
}
