/**
 * `mvbench search` without the CLI:
 *
 *   settings -> key (hash) -> resume: the rows of that key become the evaluator's cache -> constraints checked
 *   against the space's smallest models -> runSearch (NSGA-II or random) with the evaluator -> one appended,
 *   fsynced row per evaluation -> the front and hypervolume per generation
 *
 * Measurements and trainings run on this machine or, through a backend (backend.ts), as jobs on a queue's workers.
 *
 * What the user sees comes out through `events`.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hypervolume, userError } from '@mvbench/core';
import { releaseShared, RUNNERS } from '@mvbench/cell';
import { validatePlan } from '@mvbench/plan';
import { appendRow, ensureWritable, readRows, repairJsonlTail } from '@mvbench/results';
import { environmentFingerprint } from '@mvbench/runner-core';
import type { SearchSpace } from '@mvbench/space';
import { earlierTrainings, proxyAccuracy, reusing, trainingKey, zeroCostScore, type ProxySettings, type ZeroCostProxy } from './accuracy.ts';
import { cacheKey, createEvaluator, DEFAULT_REDUCTION_FACTOR, withinLimits, type CachedEvaluation, type Constraints, type LatencyFn, type Objective } from './evaluate.ts';
import { checkConstraints } from './feasible.ts';
import { anchorCandidates, evaluateAnchors, improvements, type Improvement } from './anchors.ts';
import { localBackend, type OpenBackend } from './backend.ts';
import { cellLatency } from './latency.ts';
import { searchRow, spentMs } from './rows.ts';
import { front, LOOP_VERSION, runSearch, type Evaluated, type Method } from './search.ts';

export interface SearchSettings {
  space: SearchSpace;
  method: Method;
  seed: number;
  population: number;
  objectives: readonly Objective[];
  constraints: Constraints;
  runner: string;
  threads: number;
  proxy: ProxySettings;
  /** timed runs per latency measurement, ms */
  measureBudgetMs: number;
  /** the whole search, ms (a resumed search counts the time its rows took) */
  budgetMs: number;
  maxEvaluations?: number;
  /** accuracy trainings at once */
  workers: number;
  /** successive halving trains 1/reductionFactor of a rung at the next fidelity (default DEFAULT_REDUCTION_FACTOR) */
  reductionFactor?: number;
  /** the predictor's name when latency is predicted (part of the settings' key) */
  predictor?: string;
  /** a zero-cost proxy that screens each generation before training: only its better-scoring half is trained */
  zeroCost?: ZeroCostProxy;
  /** canonical models evaluated beside the search (default: the space's ids); [] for none */
  anchors?: readonly string[];
}

export interface SearchEvents {
  log(line: string): void;
  interrupted(signal: 'SIGINT' | 'SIGTERM', newRows: number): void;
}

export interface HypervolumePoint {
  generation: number;
  evaluations: number;
  seconds: number;
  hypervolume: number;
}

export interface SearchResult {
  run: string;
  file: string;
  evaluations: Evaluated[];
  front: Evaluated[];
  /** the canonical models evaluated beside the search, and the front members that beat one of them */
  anchors: Evaluated[];
  improvements: Improvement[];
  /** per objective: the hypervolume's reference point (a constraint, 100 % error, or 1.1 x the worst value found) */
  reference: number[];
  history: HypervolumePoint[];
  newRows: number;
  resumedRows: number;
  /** trainings taken from other searches' rows in the same file (same spec and training settings) */
  reusedTrainings: number;
}

const describeSpace = (s: SearchSpace) => s.families.map((f) => ({ family: f.family.name, ids: f.ids, scalar: f.scalar, stages: f.stages }));

/** the settings that decide which candidates a search evaluates and how: same key, same search */
function searchKey(s: SearchSettings): string {
  const { space, method, seed, population, objectives, constraints, runner, threads, proxy, measureBudgetMs, predictor, zeroCost, anchors } = s;
  // defaults stay out of the key (JSON drops undefined): a search begun before there was a choice keeps its key
  const trainedOn = { ...proxy, device: proxy.device === 'wasm' ? undefined : proxy.device };
  const reduction = s.reductionFactor === DEFAULT_REDUCTION_FACTOR ? undefined : s.reductionFactor;
  const text = JSON.stringify({ loop: LOOP_VERSION, space: describeSpace(space), method, seed, population, objectives, constraints, runner, threads, proxy: trainedOn, measureBudgetMs, predictor, zeroCost, anchors, reduction });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * `latency.predicted`: a predictor's latency for the limits and the halving, then every candidate on the front is
 * measured. `latency.measured` replaces the cell engine's measurement (tests). `backend`: where measurements and
 * trainings run (default: here; searchOnQueue: a job queue's workers).
 */
export async function runArchitectureSearch(
  s: SearchSettings, out: string, resume: boolean, events: SearchEvents, latency: { measured?: LatencyFn; predicted?: LatencyFn } = {}, backend?: OpenBackend,
): Promise<SearchResult> {
  RUNNERS.get(s.runner); // an unknown runner is a user error before anything runs
  const anchorList = anchorCandidates(s.space, s.anchors);
  ensureWritable(out);
  repairJsonlTail(out); // a row cut by a kill is evaluated again
  const key = searchKey(s);
  const rows = existsSync(out) ? readRows(out).rows : [];
  const previous = resume ? rows.filter((r) => r.search?.key === key) : [];
  // accuracy does not depend on the runner: another search's training of the same spec and settings is not repeated
  const earlier = earlierTrainings(rows);
  let reused = 0;
  if (resume && !previous.length) events.log(`no rows of this search in ${out}: starting a new one`);
  const run = previous.at(-1)?.sweep ?? `search-${s.method}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const cache = new Map<string, CachedEvaluation>(previous.map((r) => {
    const { measuredMs, predictedMs, fidelity, violations } = r.search!;
    const ms = measuredMs ?? predictedMs;
    // a row with both is a front candidate's measurement after its prediction
    const key = cacheKey(r.spec, r.accuracy.kind === 'zero-cost' ? 'screened' : measuredMs !== null && predictedMs !== null ? 'measured' : fidelity);
    return [key, { latency: ms === null ? null : { ms }, accuracy: r.accuracy.kind === 'none' ? null : r.accuracy, violations }];
  }));
  const spent = spentMs(previous);
  const deadline = Date.now() + s.budgetMs - spent;
  const timeLeft = () => Date.now() < deadline;

  const plan = validatePlan({ name: 'search', models: [], axes: [{ family: s.space.families[0].family.name }], runners: [{ runner: s.runner, threads: [s.threads] }], measure: { budgetMs: s.measureBudgetMs }, accuracy: { kind: 'proxy', data: s.proxy.data, seed: s.proxy.seed }, seed: s.seed }, 'search');
  // the queue's jobs outlive an interrupted coordinator (a resumed one finds them); a local folder does not
  const local = backend ? undefined : localBackend(s.seed);
  const runs = local ?? (await backend!({ name: `search-${key}`, plan }));
  const measure = latency.measured ?? cellLatency(runs.measure, { runner: s.runner, threads: s.threads, budgetMs: s.measureBudgetMs, timeoutS: 300 });
  const atOnce = runs.parallel ? { workers: Infinity, measurements: Infinity } : { workers: s.workers, measurements: 1 };
  let newRows = 0;
  const interrupted = (signal: 'SIGINT' | 'SIGTERM') => () => {
    void local?.close();
    events.interrupted(signal, newRows);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onInt = interrupted('SIGINT'), onTerm = interrupted('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);

  const rowRun = { run, key, method: s.method, seed: s.seed, plan, runner: s.runner, threads: s.threads, env: environmentFingerprint(), training: (level: number) => trainingKey(s.proxy, level) };
  const started = Date.now();
  const history: { generation: number; evaluations: number; seconds: number; points: number[][] }[] = [];
  try {
    if (!previous.length) await checkConstraints(s.space, s.constraints, measure, events.log);
    events.log(`${run}: ${s.method}, population ${s.population}, seed ${s.seed}, ${s.proxy.fidelities.length} fidelities${s.reductionFactor && s.reductionFactor !== DEFAULT_REDUCTION_FACTOR ? ` (1/${s.reductionFactor} of a rung goes on)` : ''}, ${runs.parallel ? "trainings and measurements on the queue's workers" : `${s.workers} trainings at once`}, latency ${latency.predicted ? 'predicted (the front measured)' : 'measured'}${previous.length ? `; resuming after ${previous.length} rows` : ''}`);
    // anchors: no zero-cost screen, no halving
    const evaluator = (search: boolean) => createEvaluator({
      objectives: s.objectives, constraints: s.constraints, latency: latency.predicted ?? measure, confirm: latency.predicted && measure, screen: search && s.zeroCost ? zeroCostScore(s.zeroCost, s.proxy, runs.accuracy) : undefined, accuracy: reusing(proxyAccuracy(s.proxy, runs.accuracy), s.proxy, earlier, () => reused++), levels: s.proxy.fidelities.length, reductionFactor: s.reductionFactor, anchors: !search,
      ...atOnce, timeLeft, cache,
      record: (r) => {
        appendRow(out, searchRow(rowRun, r));
        newRows++;
      },
    });
    const anchors = await evaluateAnchors(anchorList, evaluator(false));
    if (anchors.length) events.log(`anchors: ${anchors.map((a) => `${a.candidate.spec} ${anchorText(s.objectives, a)}`).join('; ')}`);
    const evaluate = evaluator(true);
    const evaluations = await runSearch({
      space: s.space, method: s.method, seed: s.seed, population: s.population, evaluate, maxEvaluations: s.maxEvaluations,
      admissible: withinLimits(s.constraints, latency.predicted),
      onGeneration: (generation, all, redrawn) => {
        const points = front(all).map((e) => e.objectives);
        history.push({ generation, evaluations: all.length, seconds: (spentMs(previous.filter((r) => r.search!.generation <= generation)) + Date.now() - started) / 1000, points });
        const hv = hypervolume(points, referencePoint(s, all));
        const left = Math.max(0, deadline - Date.now()) / 60000;
        events.log(`generation ${generation}: ${all.length} evaluated, front ${points.length} (${frontText(s.objectives, points)}), hypervolume ${hv.toPrecision(4)}, ${left.toFixed(1)} min left${redrawn ? ` (${redrawn} drawn outside the limits${latency.predicted ? ' as predicted' : ''}, drawn again)` : ''}`);
      },
    });
    const reference = referencePoint(s, evaluations);
    const found = front(evaluations);
    if (reused) events.log(`${reused} trainings taken from earlier searches in ${out} (the same spec and training settings), not trained again`);
    return {
      run, file: out, evaluations, front: found, anchors, improvements: improvements(found, anchors, s.objectives), reference, newRows, resumedRows: previous.length, reusedTrainings: reused,
      history: history.map(({ points, ...h }) => ({ ...h, hypervolume: hypervolume(points, reference) })),
    };
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await runs.close();
    await releaseShared();
  }
}

/** per objective: the constraint, 100 % error for accuracy, else 1.1 x the worst value among complete feasible evaluations */
function referencePoint(s: SearchSettings, all: readonly Evaluated[]): number[] {
  const ok = all.filter((e) => e.complete && e.violation === 0);
  const limits: Record<Objective, number | undefined> = { latency: s.constraints.maxLatencyMs, accuracy: 100, params: s.constraints.maxParams, macs: s.constraints.maxMacs };
  return s.objectives.map((k, i) => limits[k] ?? 1.1 * Math.max(0, ...ok.map((e) => e.objectives[i])));
}

const frontText = (objectives: readonly Objective[], points: number[][]): string => {
  const a = objectives.indexOf('accuracy'), l = objectives.indexOf('latency');
  if (a < 0 || l < 0 || !points.length) return `${points.length} points`;
  const best = points.reduce((x, y) => (y[a] < x[a] ? y : x));
  return `best top-1 ${(100 - best[a]).toFixed(1)} % at ${best[l].toFixed(1)} ms`;
};

const anchorText = (objectives: readonly Objective[], a: Evaluated): string =>
  a.violation ? 'outside the limits' : !a.complete ? 'no accuracy' : objectives.map((k, i) => (k === 'accuracy' ? `top-1 ${(100 - a.objectives[i]).toFixed(1)} %` : k === 'latency' ? `${a.objectives[i].toFixed(2)} ms` : `${k} ${a.objectives[i].toPrecision(3)}`)).join(', ');
