/** A search evaluation -> a result row: the sweep's columns (makeRow, the cell engine's) plus the `search` ones. */
import { makeRow } from '@mvbench/cell';
import { parseSpec } from '@mvbench/dsl';
import type { Plan } from '@mvbench/plan';
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
}

const NO_ACCURACY: Accuracy = { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };

export function searchRow(s: SearchRun, r: EvaluationRecord): ResultRow {
  const spec = r.candidate.spec;
  // one cell per candidate: readers that take the latest row per cell see its highest fidelity
  const cell = { key: `${spec}|${s.runner}|t${s.threads}|all`, spec, runner: s.runner, threads: s.threads, graphOptimization: 'all', profile: false };
  const measured = r.latency?.outcome;
  const row = makeRow(
    { sweep: s.run, plan: s.plan, cell, spec: parseSpec(spec), info: r.info, env: s.env, startedAt: r.startedAt, accuracy: r.accuracy ?? NO_ACCURACY },
    measured ?? { ok: false, code: 'FAILED', message: 'not measured' },
  );
  return {
    ...row,
    ...(!measured && { latency: null, error: null }),
    search: {
      key: s.key, method: s.method, seed: s.seed, generation: r.candidate.generation, fidelity: r.level,
      predictedMs: r.predictedMs ?? (r.latency && !measured ? r.latency.ms : null),
      measuredMs: measured?.ok ? measured.stats.median : null,
      violations: r.violations,
    },
  };
}
