/**
 * Building a predictor: sample specs of the space (seeded), measure them as sweep cells (isolated child processes,
 * load detection, resumable rows next to the predictor), for as long as the time budget allows, then fit.
 * Canonical models inside the space are measured first: they are what users ask about most.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '@mvbench/core';
import { canonicalIds, parseSpec, type ModelSpec } from '@mvbench/dsl';
import { validatePlan, type Plan } from '@mvbench/plan';
import { latestPerCell, makeDirs, readRows, type ResultRow } from '@mvbench/results';
import { environmentFingerprint } from '@mvbench/runner-core';
import { outsideSpace, sampleSpecs, spaceToFile, type SearchSpace } from '@mvbench/space';
import { runSweep, type SweepEvents } from '@mvbench/sweep-run';
import { FEATURES, specFeatures } from './features.ts';
import { crossValidate, fitModel, packForest, type Sample } from './fit.ts';
import { predictorName, savePredictor, type Predictor } from './store.ts';

export interface BuildOptions {
  runner: string;
  threads: number;
  /** measuring time, minutes (the fit and the calibrations come on top) */
  minutes: number;
  /** measure exactly this many specs instead (no time budget) */
  specs?: number;
  /** fit on cells measured under competing load too (a busy machine; the predictor then says how many) */
  keepContended?: boolean;
  space: SearchSpace;
  seed: number;
  /** where the predictor and its measurements go (results/predictors) */
  dir: string;
  events: SweepEvents;
}

/** measuring settings per spec: two fresh processes pooled (single processes land several percent apart) */
const MEASURE = { processes: 2, minRuns: 10, maxRuns: 400, budgetMs: 1200, warmupMaxMs: 1000, targetRelCi: 0.01 } as const;
const FIRST_BATCH = 40;
/** batches stay short, so that the time budget is checked often */
const MAX_BATCH = 60;

export const measurementsFile = (dir: string, runner: string, threads: number) => join(dir, `${predictorName(runner, threads)}.jsonl`);

/** a plan measuring `models` as a predictor build does (validation uses it too, so both measure alike) */
export function predictorPlan(name: string, runner: string, threads: number, models: readonly string[], seed: number): Plan {
  return validatePlan(
    {
      name,
      description: `latency predictor measurements: specs sampled with seed ${seed}`,
      models: [...models],
      runners: [{ runner, threads: [threads] }],
      measure: MEASURE,
      accuracy: 'none',
      profile: 'none',
      seed,
    },
    name,
  );
}

const planFor = (o: BuildOptions, models: readonly string[]): Plan =>
  predictorPlan(`predictor-${predictorName(o.runner, o.threads)}`, o.runner, o.threads, models, o.seed);

/** canonical models inside the space, then the seeded sample */
function candidates(space: SearchSpace, seed: number, n: number): ModelSpec[] {
  const canonical = canonicalIds().map(parseSpec).filter((s) => outsideSpace(s, space).length === 0);
  const sampled = sampleSpecs(space, n, seed).filter((s) => !canonical.some((c) => c.spec === s.spec));
  return [...canonical, ...sampled];
}

export async function buildPredictor(o: BuildOptions): Promise<{ file: string; predictor: Predictor }> {
  makeDirs(o.dir);
  const out = measurementsFile(o.dir, o.runner, o.threads);
  const specs = candidates(o.space, o.seed, 4000).map((s) => s.spec);
  const start = Date.now();
  // batches grow the plan; each run resumes the same rows, so a build goes on where an earlier one stopped
  const done = new Set(existsSync(out) ? readRows(out).rows.map((r) => r.spec) : []);
  const already = specs.findIndex((s) => !done.has(s));
  let measured = already < 0 ? specs.length : already;
  let msPerSpec = 0;
  const target = Math.min(o.specs ?? specs.length, specs.length);
  while (measured < target) {
    const left = o.minutes * 60_000 - (Date.now() - start);
    const batch = o.specs ? target - measured : msPerSpec === 0 ? FIRST_BATCH : Math.floor(left / msPerSpec);
    if (!o.specs && msPerSpec > 0 && batch < 4) break;
    const t = Date.now();
    const models = specs.slice(0, measured + Math.min(batch, MAX_BATCH));
    // cells measured under competing load are measured again in the next batch (and left out of the fit if still so)
    const resume = existsSync(out);
    const res = await runSweep({ plan: planFor(o, models), out, resume, retryContended: resume, events: o.events, yes: true });
    const fresh = res.rows.length - res.skipped;
    if (fresh > 0) msPerSpec = (Date.now() - t) / fresh;
    else if (!msPerSpec) msPerSpec = 1000;
    measured = models.length;
  }
  return fitFromMeasurements(o, out);
}

/** fit (again) from the stored measurements, without measuring */
export function fitFromMeasurements(o: Pick<BuildOptions, 'runner' | 'threads' | 'space' | 'seed' | 'dir' | 'keepContended'>, out = measurementsFile(o.dir, o.runner, o.threads)): { file: string; predictor: Predictor } {
  if (!existsSync(out)) throw userError('FILE_NOT_FOUND', `no measurements for ${o.runner} with ${o.threads} thread(s) at ${out}: run mvbench predictor build first`);
  const plan = `predictor-${predictorName(o.runner, o.threads)}`;
  const rows = latestPerCell(readRows(out).rows.filter((r) => r.plan === plan));
  // rows of specs outside the space (measured for an earlier build with another --space) are not this predictor's
  const inside = rows.filter((r) => outsideSpace(parseSpec(r.spec), o.space).length === 0);
  const measuredOk = inside.filter((r) => !r.error && r.latency);
  const ok = o.keepContended ? measuredOk : measuredOk.filter((r) => !r.load?.contended);
  const samples: Sample[] = ok.map((r) => ({ spec: r.spec, features: specFeatures(parseSpec(r.spec)), ms: r.latency!.median }));
  // two specs per kernel class the space has (a MobileNetV2-only space has no attention or softmax)
  const classes = FEATURES.filter((k) => samples.some((s) => s.features[k] > 0)).length;
  if (samples.length < Math.max(2 * classes, 10)) {
    const contended = measuredOk.length - ok.length;
    const why = contended ? `; ${contended} more were measured under competing load (measure on a quiet machine, or --keep-contended)` : ': measure longer (--minutes, --specs)';
    throw userError('BAD_ARGUMENT', `${out} holds ${ok.length} usable measurements; a fit of ${classes} kernel classes needs at least ${Math.max(2 * classes, 10)}${why}`);
  }
  const model = fitModel(samples);
  const { quality } = crossValidate(samples, 5, o.seed);
  const env = ok.at(-1)!.env ?? environmentFingerprint();
  const predictor: Predictor = {
    schema: 'mvbench.predictor/1',
    runner: o.runner,
    threads: o.threads,
    graphOptimization: ok[0].graphOptimization,
    builtAt: new Date().toISOString(),
    commit: 'commit' in env ? env.commit : 'unknown',
    machine: { cpuModel: env.cpuModel, cores: env.cores, memoryGiB: env.memoryGiB, os: env.os, node: env.node },
    runtime: ok.at(-1)!.env?.runtime ?? {},
    calibration: medianCalibration(ok),
    space: spaceToFile(o.space),
    seed: o.seed,
    measurements: out.split(/[\\/]/).pop()!,
    excluded: { failed: inside.filter((r) => r.error).length, contended: measuredOk.length - ok.length, outside: rows.length - inside.length },
    contendedIncluded: ok.filter((r) => r.load?.contended).length,
    model: { kind: 'linear-kernel-classes+forest', features: [...FEATURES], scale: model.linear.scale, coef: model.linear.coef, forest: packForest(model.forest) },
    crossValidation: quality,
  };
  const file = join(o.dir, `${predictorName(o.runner, o.threads)}.json`);
  savePredictor(file, predictor);
  return { file, predictor };
}

function medianCalibration(rows: readonly ResultRow[]): Predictor['calibration'] {
  const cals = rows.map((r) => r.env?.calibration).filter((c) => !!c).sort((a, b) => a!.matmulGflops1 - b!.matmulGflops1);
  return cals[Math.floor(cals.length / 2)] ?? null;
}
