/**
 * A generation's evaluation, cheapest first, with successive halving for accuracy:
 *
 *   params/MACs (build only) -> constraints on them -> latency (one at a time, never beside a training; on a
 *   queue's workers `measurements` at once)
 *   -> constraint on it -> optionally a zero-cost score for all left, the better half goes on (`screen`)
 *   -> accuracy at fidelity 0 for all left (`workers` trainings at once)
 *   -> the best 1/reductionFactor (default half; NSGA-II rank on latency and accuracy) at fidelity 1 -> the best
 *   1/reductionFactor of those at 2 ...
 *   -> with a predicted latency: every candidate on the front so far is measured (`confirm`), once
 *
 * Each evaluation (a candidate at a fidelity, or a candidate a constraint ruled out) is recorded once through
 * `record` as it finishes; one found in `cache` (a resumed search's rows) is taken from there and not repeated, even
 * when the budget is spent. New work starts only while `timeLeft()`.
 */
import { buildModel, modelInfo, parseSpec, type ModelInfo, type ModelSpec } from '@mvbench/dsl';
import type { Accuracy } from '@mvbench/results';
import type { CellOutcome } from '@mvbench/cell';
import type { EnvironmentFingerprint } from '@mvbench/runner-core';
import { survivors } from './nsga2.ts';
import { front, type Candidate, type Evaluate, type Evaluated } from './search.ts';

export type Objective = 'latency' | 'accuracy' | 'params' | 'macs';
export const OBJECTIVES: readonly Objective[] = ['latency', 'accuracy', 'params', 'macs'];
/** successive halving's default: the better half of a rung goes on to the next fidelity */
export const DEFAULT_REDUCTION_FACTOR = 2;

export interface Constraints {
  maxLatencyMs?: number;
  maxParams?: number;
  maxMacs?: number;
}

interface Latency {
  ms: number;
  lo?: number;
  hi?: number;
  /** why there is no value (ms is NaN then): the measurement failed */
  error?: string;
  /** where it was measured (not predicted): the cell's outcome, for the row's latency columns */
  outcome?: CellOutcome;
  /** measured by a queue's worker: that machine (the row's env and worker) */
  where?: { env: EnvironmentFingerprint; worker: { name: string; machineClass: string } };
}
export type LatencyFn = (spec: ModelSpec) => Promise<Latency>;
/** accuracy (top-1 in `value`) at fidelity `level` (0: the cheapest) */
export type AccuracyFn = (spec: ModelSpec, level: number) => Promise<Accuracy>;

/** one evaluation, as a row records it */
export interface EvaluationRecord {
  candidate: Candidate;
  /** the fidelity trained at; null: a constraint ruled the candidate out before any training */
  level: number | null;
  info: ModelInfo;
  latency: Latency | null;
  accuracy: Accuracy | null;
  violations: string[];
  startedAt: Date;
  /** a front candidate measured after its latency was predicted: the prediction */
  predictedMs?: number;
}

/** what a resumed search reads back from a row */
export interface CachedEvaluation {
  latency: Latency | null;
  accuracy: Accuracy | null;
  violations: string[];
}
/** a candidate at a fidelity (null: ruled out before training), 'screened': its zero-cost score, 'measured': its
 *  latency measured on the front after a prediction */
type Stage = number | null | 'screened' | 'measured';
export const cacheKey = (spec: string, level: Stage): string => `${spec}#${level ?? '-'}`;

export interface EvaluatorOptions {
  objectives: readonly Objective[];
  constraints: Constraints;
  /** measured, or predicted when `confirm` measures the front */
  latency: LatencyFn;
  confirm?: LatencyFn;
  /** a zero-cost score (Accuracy of kind zero-cost): only the better-scoring half of a generation is trained */
  screen?: (spec: ModelSpec) => Promise<Accuracy>;
  accuracy: AccuracyFn;
  /** fidelity levels (successive halving keeps the best 1/reductionFactor at each next one) */
  levels: number;
  /** the share of a rung that goes on to the next is 1/reductionFactor (default DEFAULT_REDUCTION_FACTOR) */
  reductionFactor?: number;
  /** evaluating anchors: trained at the last level only (what a found model is compared at) and, with a predicted
   *  latency, each one measured */
  anchors?: boolean;
  /** trainings at once (child processes, or jobs on a queue) */
  workers: number;
  /** latencies at once (1 on one machine: never two measurements together; more on a queue's workers) */
  measurements?: number;
  timeLeft: () => boolean;
  record: (r: EvaluationRecord) => void;
  cache?: ReadonlyMap<string, CachedEvaluation>;
}

interface State {
  candidate: Candidate;
  spec: ModelSpec;
  info: ModelInfo;
  latency: Latency | null;
  accuracy: Accuracy | null;
  level: number | null;
  violations: string[];
  measured: boolean;
  /** the zero-cost score; screenedOut: below the better half, not trained */
  score?: number | null;
  screenedOut?: boolean;
}

export function createEvaluator(o: EvaluatorOptions): Evaluate {
  const cache = o.cache ?? new Map<string, CachedEvaluation>();
  const c = o.constraints;
  /** a resumed search's rows are replayed whatever the clock says (its budget may be spent); new work needs time */
  const allowed = (s: State, ...stages: Stage[]) => o.timeLeft() || stages.some((k) => cache.has(cacheKey(s.candidate.spec, k)));
  const levels = Array.from({ length: o.levels }, (_, l) => l);

  const once = async (s: State, level: number | null, work: () => Promise<{ latency?: Latency; accuracy?: Accuracy }>): Promise<void> => {
    const hit = cache.get(cacheKey(s.candidate.spec, level));
    if (hit) {
      s.latency = hit.latency ?? s.latency;
      s.violations = hit.violations;
      if (level !== null) [s.accuracy, s.level] = [hit.accuracy, level];
      return;
    }
    const startedAt = new Date();
    const got = await work();
    if (got.latency) s.latency = got.latency;
    if (level !== null) [s.accuracy, s.level] = [got.accuracy ?? null, level];
    o.record({ candidate: s.candidate, level, info: s.info, latency: s.latency, accuracy: got.accuracy ?? null, violations: s.violations, startedAt });
  };

  const latencyViolations = (l: Latency) => violations(c, undefined, l);
  const trainedSoFar: State[] = [];
  /** the front's candidates whose latency was predicted are measured, and rechecked against the limit */
  const confirmFront = async (measure: LatencyFn) => {
    const ev = trainedSoFar.map((s) => evaluated(s, o.objectives));
    await pool(o.anchors ? ev : front(ev), o.measurements ?? 1, async (e) => {
      const s = trainedSoFar[ev.indexOf(e)];
      if (s.measured || !allowed(s, 'measured')) return;
      const hit = cache.get(cacheKey(s.candidate.spec, 'measured'));
      const predictedMs = s.latency!.ms;
      s.measured = true;
      if (hit) return void ([s.latency, s.violations] = [hit.latency, hit.violations]);
      const startedAt = new Date();
      s.latency = await measure(s.spec);
      s.violations = latencyViolations(s.latency);
      o.record({ candidate: s.candidate, level: s.level, info: s.info, latency: s.latency, accuracy: s.accuracy, violations: s.violations, startedAt, predictedMs });
    });
  };

  /** the zero-cost filter: every candidate scored once, the better-scoring half kept (unscored ones are dropped) */
  const screen = async (rung: State[], score: (spec: ModelSpec) => Promise<Accuracy>): Promise<State[]> => {
    await pool(rung, o.workers, async (s) => {
      if (!allowed(s, 'screened')) return;
      const hit = cache.get(cacheKey(s.candidate.spec, 'screened'));
      if (hit) return void (s.score = hit.accuracy?.value ?? null);
      const startedAt = new Date();
      const a = await score(s.spec);
      s.score = a.value;
      o.record({ candidate: s.candidate, level: null, info: s.info, latency: s.latency, accuracy: a, violations: [], startedAt });
    });
    const ranked = rung.filter((s) => s.score != null).sort((a, b) => b.score! - a.score! || a.candidate.spec.localeCompare(b.candidate.spec));
    const kept = ranked.slice(0, Math.ceil(ranked.length / 2));
    for (const s of rung) if (s.score !== undefined && !kept.includes(s)) s.screenedOut = true;
    return kept;
  };

  return async (candidates) => {
    const states: State[] = candidates.map((candidate) => {
      const spec = parseSpec(candidate.spec);
      return { candidate, spec, info: modelInfo(buildModel(spec)), latency: null, accuracy: null, level: null, violations: [], measured: !o.confirm };
    });
    const begun = new Set<State>();
    await pool(states, o.measurements ?? 1, async (s) => {
      if (!allowed(s, null, 'screened', ...levels)) return;
      begun.add(s);
      const ruledOut = cache.get(cacheKey(s.candidate.spec, null));
      if (ruledOut) return void ([s.violations, s.latency] = [ruledOut.violations, ruledOut.latency]);
      s.violations = violations(c, s.info);
      if (s.violations.length) return once(s, null, async () => ({}));
      const cachedLatency = latencyFromCache(cache, s.candidate.spec, [null, 'screened', ...levels]);
      s.latency = cachedLatency ?? (await o.latency(s.spec));
      s.violations = latencyViolations(s.latency);
      if (s.violations.length) await once(s, null, async () => ({ latency: s.latency! }));
    });
    const started = states.filter((s) => begun.has(s));
    let rung = started.filter((s) => !s.violations.length);
    if (o.screen && rung.length > 1) rung = await screen(rung, o.screen);
    for (let level = o.anchors ? o.levels - 1 : 0; level < o.levels && rung.length; level++) {
      // a training not started when the budget runs out leaves the candidate at its last fidelity (or unevaluated)
      await pool(rung, o.workers, (s) => (allowed(s, level) ? once(s, level, async () => ({ accuracy: await o.accuracy(s.spec, level) })) : Promise.resolve()));
      const trained = rung.filter((s) => s.level === level && s.accuracy?.value != null);
      if (o.anchors) {
        rung = trained;
        continue;
      }
      const keep = survivors(trained.map((s) => ({ objectives: [s.latency!.ms, -s.accuracy!.value!], violation: 0 })), Math.ceil(trained.length / (o.reductionFactor ?? DEFAULT_REDUCTION_FACTOR)));
      rung = keep.map((k) => trained[k.index]);
    }
    trainedSoFar.push(...started.filter((s) => s.level !== null));
    if (o.confirm) await confirmFront(o.confirm);
    return started.filter((s) => s.violations.length || s.screenedOut || s.level !== null).map((s) => evaluated(s, o.objectives));
  };
}

function evaluated(s: State, objectives: readonly Objective[]): Evaluated {
  const value: Record<Objective, number | null> = { latency: s.latency?.ms ?? null, accuracy: s.accuracy?.value == null ? null : 100 - s.accuracy.value, params: s.info.params, macs: s.info.macs };
  const complete = objectives.every((k) => value[k] !== null);
  // a candidate ruled out before training still takes part in constrained domination, behind every feasible one
  const violation = s.violations.length ? s.violations.length : complete ? 0 : 1;
  return { candidate: s.candidate, objectives: objectives.map((k) => value[k] ?? Number.MAX_VALUE), violation, complete, measured: s.measured };
}

/** the latency a row of the spec at one of `stages` carries (the one a generation's first step found before) */
const latencyFromCache = (cache: ReadonlyMap<string, CachedEvaluation>, spec: string, stages: Stage[]): Latency | undefined =>
  stages.map((k) => cache.get(cacheKey(spec, k))?.latency).find((l) => l) ?? undefined;

/** the limits a candidate breaks: params and MACs (with `info`), latency (with `latency`) */
function violations(c: Constraints, info?: ModelInfo, latency?: Latency): string[] {
  const v = info ? excess([['params', info.params, c.maxParams], ['MACs', info.macs, c.maxMacs]]) : [];
  if (latency) v.push(...(latency.error ? [`latency: ${latency.error}`] : excess([['latency', latency.ms, c.maxLatencyMs, 'ms']])));
  return v;
}

/** the search's check before it spends an evaluation: within the params and MACs limits and, when latency is
 *  predicted, the latency limit (a measured latency is an evaluation, and its rows say what broke a limit) */
export const withinLimits = (c: Constraints, predicted?: LatencyFn) => async (candidate: Candidate): Promise<boolean> => {
  const spec = parseSpec(candidate.spec);
  const info = modelInfo(buildModel(spec));
  return !violations(c, info).length && (!predicted || !violations(c, undefined, await predicted(spec)).length);
};

const excess = (checks: [string, number, number | undefined, string?][]): string[] =>
  checks.filter(([, v, max]) => max !== undefined && v > max).map(([name, v, max, unit]) => `${name} ${fmt(v)}${unit ? ' ' + unit : ''} > ${fmt(max!)}`);
const fmt = (x: number) => (x >= 1e5 ? x.toExponential(2) : String(Math.round(x * 100) / 100));

/** runs `f` over `items`, at most `n` at once */
async function pool<T>(items: readonly T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await f(items[next++]);
  }));
}
