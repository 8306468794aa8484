/** Predictor files: the fitted model with the machine, runtime and space it was built on. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { userError } from '@mvbench/core';
import { Calibration, writeFileAtomic } from '@mvbench/results';
import { parseSpace, type SearchSpace } from '@mvbench/space';
import { FEATURES } from './features.ts';
import { unpackForest, type Model } from './fit.ts';

export const PREDICTOR_SCHEMA = 'mvbench.predictor/1';

const Quality = z.object({
  specs: z.number().int(),
  folds: z.number().int(),
  within5: z.number(),
  within10: z.number(),
  rmspe: z.number(),
  kendallTau: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]),
});

const PredictorFile = z.strictObject({
  schema: z.literal(PREDICTOR_SCHEMA),
  runner: z.string(),
  threads: z.number().int().min(1),
  graphOptimization: z.string(),
  builtAt: z.string(),
  /** the mvbench commit whose emitter built the measured graphs */
  commit: z.string(),
  machine: z.object({ cpuModel: z.string(), cores: z.number().int(), memoryGiB: z.number(), os: z.string(), node: z.string() }),
  /** runtime package versions of the measured rows */
  runtime: z.record(z.string(), z.string()),
  /** the machine's speed when the predictor was built (median over the measuring sweeps' calibrations) */
  calibration: Calibration.nullable(),
  /** the space the specs were sampled from, as a space file holds it */
  space: z.record(z.string(), z.record(z.string(), z.unknown())),
  seed: z.number().int(),
  /** the measurements it was fitted on (results rows, next to the predictor) */
  measurements: z.string(),
  /** rows left out of the fit: failed cells, cells measured under competing load, specs outside the space */
  excluded: z.object({ failed: z.number().int(), contended: z.number().int(), outside: z.number().int() }),
  /** cells measured under competing load that the fit used anyway (predictor build --keep-contended) */
  contendedIncluded: z.number().int(),
  model: z.object({
    kind: z.literal('linear-kernel-classes+forest'),
    features: z.array(z.string()),
    scale: z.array(z.number()),
    coef: z.array(z.number()),
    /** the residual random forest: ml-random-forest's JSON, gzipped, base64 */
    forest: z.string().min(1),
  }),
  /** out-of-sample quality on the training specs (k-fold cross-validation) */
  crossValidation: Quality,
});
export type Predictor = z.infer<typeof PredictorFile>;

export function savePredictor(file: string, p: Predictor): void {
  writeFileAtomic(file, JSON.stringify(PredictorFile.parse(p), null, 1) + '\n');
}

export function loadPredictor(file: string): LoadedPredictor {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw userError('FILE_NOT_FOUND', `predictor file not found: ${file} (build one with: mvbench predictor build --runner <id> --threads <n>)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw userError('BAD_PREDICTOR', `predictor ${file} is not valid JSON (${(e as Error).message}): rebuild it with mvbench predictor build`);
  }
  const parsed = PredictorFile.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`).join('\n');
    throw userError('BAD_PREDICTOR', `predictor ${file} is not a ${PREDICTOR_SCHEMA} file:\n${issues}`);
  }
  const p = parsed.data;
  const n = FEATURES.length;
  if (p.model.features.join() !== FEATURES.join() || p.model.scale.length !== n || p.model.coef.length !== n + 1)
    throw userError('BAD_PREDICTOR', `predictor ${file} was fitted on other features (${p.model.features.length}) than this mvbench computes (${n}): refit it with mvbench predictor fit`);
  if (![...p.model.scale, ...p.model.coef].every(Number.isFinite))
    throw userError('BAD_PREDICTOR', `predictor ${file} holds a non-finite coefficient: rebuild it`);
  try {
    const fitted = { linear: { scale: p.model.scale, coef: p.model.coef }, forest: unpackForest(p.model.forest) };
    return { ...p, fitted, searchSpace: parseSpace(p.space, file) };
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'BAD_SPACE') throw userError('BAD_PREDICTOR', `predictor ${file}: ${e.message}`);
    throw userError('BAD_PREDICTOR', `predictor ${file}: its forest cannot be read (${(e as Error).message}): rebuild it`);
  }
}

/** a predictor file as loaded: its data, the fitted model ready to predict and its space, parsed once */
export type LoadedPredictor = Predictor & { fitted: Model; searchSpace: SearchSpace };

/** `ort-node:cpu` with 2 threads -> `ort-node-cpu-t2` */
export const predictorName = (runner: string, threads: number): string => `${runner.replace(/[^a-z0-9.-]+/gi, '-')}-t${threads}`;

/** the predictor of a runner setting in `dir` (results/predictors), or undefined when there is none */
export function loadPredictorFor(dir: string, runner: string, threads: number): LoadedPredictor | undefined {
  const file = join(dir, `${predictorName(runner, threads)}.json`);
  return existsSync(file) ? loadPredictor(file) : undefined;
}
