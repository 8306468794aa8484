/**
 * One result row per sweep cell (model x runner x setting). results/README.md defines every column; the report
 * reads only this schema. Rows are append-only JSONL; a failed cell is a row with `error` set and `latency` null.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 'mvbench.result/1';

export const LatencyStats = z.object({
  n: z.number().int(),
  median: z.number(),
  p10: z.number(),
  p90: z.number(),
  mean: z.number(),
  stdev: z.number(),
  min: z.number(),
  max: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  ciLevel: z.number(),
  /** actual coverage of [ciLow, ciHigh]: below ciLevel when n < 6 (then the interval is [min, max]); absent in old rows */
  ciCoverage: z.number().optional(),
  relCiHalfWidth: z.number(),
});

/** competing CPU load during a cell's timed runs (runner-core load.ts); absent in old rows and where /proc is missing */
export const Load = z.object({
  /** other processes' CPU time per second of the timed runs, in cores (CPU time of the machine minus ours) */
  otherCores: z.number(),
  /** otherCores / cores: the share of the machine that other processes used */
  otherCpuShare: z.number(),
  /** 1-minute load average before the first and after the last timed run */
  loadavgBefore: z.number(),
  loadavgAfter: z.number(),
  /** spread of the medians of consecutive fifths of the samples, relative to the median; null below 10 samples */
  drift: z.number().nullable(),
  /** other processes competed with the cell's threads: runner-core load.ts, isContended, defines the threshold */
  contended: z.boolean(),
});

export const Accuracy = z.object({
  kind: z.enum(['published', 'evaluated', 'proxy', 'zero-cost', 'none']),
  /** top-1 in percent for published/evaluated/proxy; the score for zero-cost; null when none */
  value: z.number().nullable(),
  metric: z.string().nullable(),
  dataset: z.string().nullable(),
  source: z.string().nullable(),
  seed: z.number().int().nullable(),
  /** the settings behind the value (proxy: epochs, resolution, images; evaluated: images, skipped; zero-cost: batch) */
  detail: z.record(z.string(), z.unknown()).optional(),
  /** why the requested kind has no value for this spec (no checkpoint, training failed, ...) */
  error: z.string().optional(),
});

export const Profile = z.object({
  /** inferences the profile covers; times below are per inference, in ms */
  runs: z.number().int(),
  totalMs: z.number(),
  byCategory: z.record(z.string(), z.number()),
  byScope: z.record(z.string(), z.number()),
  byOp: z.record(z.string(), z.number()),
});

/** the machine's speed measured in the same run (runner-core calibrate()); results/README.md, Calibration */
export const Calibration = z.object({
  matmulGflops1: z.number(),
  matmulGflops2: z.number(),
  scaling2: z.number(),
  memoryGBps: z.number(),
  cpuFlags: z.array(z.string()),
  relSpread: z.number(),
  otherCpuShare: z.number(),
  workload: z.string(),
  durationMs: z.number(),
  measuredAt: z.string(),
});

export const Environment = z.object({
  cpuModel: z.string(),
  cores: z.number().int(),
  memoryGiB: z.number(),
  os: z.string(),
  node: z.string(),
  commit: z.string(),
  dirty: z.boolean(),
  timerResolutionNs: z.number(),
  runtime: z.record(z.string(), z.string()),
  /** absent in rows written before calibrations existed */
  calibration: Calibration.optional(),
});

/** a search's evaluation of a candidate (mvbench search; results/README.md, Search columns); absent in sweep rows */
export const SearchEvaluation = z.object({
  /** the search's settings (space, method, seed, objectives, constraints, fidelities, runner): --resume continues rows of the same key */
  key: z.string(),
  method: z.enum(['nsga2', 'random']),
  seed: z.number().int(),
  generation: z.number().int(),
  /** the fidelity level of the proxy training (0: the cheapest); null when a constraint ruled the candidate out before training */
  fidelity: z.number().int().nullable(),
  predictedMs: z.number().nullable(),
  measuredMs: z.number().nullable(),
  /** the constraints the candidate breaks ('params 3.2e+6 > 3e+6'); empty when feasible */
  violations: z.array(z.string()),
  /** the proxy training's settings (data, images, resolution, epochs, batch, seed, device) as a hash: another search
   *  in the same file reuses a training of the same spec and hash; null when the row has no proxy training; absent
   *  in rows written before 2026-12-03 */
  training: z.string().nullable().optional(),
});

/** a latency predictor's estimate of the cell's median (mvbench predict), beside the measured one */
export const PredictedLatency = z.object({
  ms: z.number(),
  /** the predictor's 90% interval */
  lo: z.number(),
  hi: z.number(),
  /** the predictor file's name (results/predictors/<name>.json) */
  predictor: z.string(),
  /** knob values beyond what the predictor was built on (it extrapolates there) */
  outside: z.array(z.string()),
});

/** what identifies an .onnx file's row instead of a family and knobs (results/README.md) */
const OnnxFile = z.object({
  /** the file name, without its folder */
  file: z.string(),
  sha256: z.string(),
  /** every input with the shape it was fed (dynamic dimensions as given by --input-shape / inputShapes) */
  inputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()) })),
  opset: z.number().int().nullable(),
  producer: z.string(),
});

/** instructions per inference counted by Valgrind (plan measure.instructions; results/README.md) */
const InstructionCount = z.object({
  instructions: z.number(),
  estimatedCycles: z.number(),
  runs: z.number().int(),
  spread: z.number(),
  threads: z.number().int(),
  tool: z.string(),
});

export const ResultRow = z.object({
  schema: z.literal(SCHEMA_VERSION),
  sweep: z.string(),
  plan: z.string(),
  cell: z.string(),
  spec: z.string(),
  id: z.string(),
  family: z.string(),
  canonical: z.boolean(),
  knobs: z.object({
    width: z.number(),
    patch: z.string().nullable(),
    attention: z.string(),
    resolution: z.number().int(),
    // the structure knobs as built (null: not applicable to the family); absent in rows written before they existed
    depth: z.string().nullable().optional(),
    ffn: z.number().nullable().optional(),
    expand: z.number().nullable().optional(),
    dims: z.string().nullable().optional(),
  }).nullable(),
  params: z.number().int().nullable(),
  macs: z.number().int().nullable(),
  accuracy: Accuracy,
  runner: z.string(),
  threads: z.number().int(),
  threadsUsed: z.number().int().nullable(),
  graphOptimization: z.string(),
  /** settings as the runner reports them (e.g. adapter, crossOriginIsolated, notGpuNumber for browser runners) */
  runnerSettings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  latency: LatencyStats.nullable(),
  samplesMs: z.array(z.number()).nullable(),
  /** fresh processes whose samples are pooled into `latency` */
  processes: z.number().int().default(1),
  converged: z.boolean().nullable(),
  warmupRuns: z.number().int().nullable(),
  sessionCreateMs: z.number().nullable(),
  firstRunMs: z.number().nullable(),
  peakRssMb: z.number().nullable(),
  profile: Profile.nullable(),
  /** absent unless the plan asked for it; null when the cell could not be counted (the reason in instructionsError) */
  instructions: InstructionCount.nullable().optional(),
  instructionsError: z.string().optional(),
  /** null for failed cells and where it cannot be measured; absent in rows written before it existed */
  load: Load.nullable().optional(),
  /** absent when the sweep did not ask for predictions (--predict) or had no predictor for the cell's setting */
  predicted: PredictedLatency.optional(),
  /** the queue worker that measured the cell (mvbench worker); absent in rows of a sweep on one machine */
  worker: z.object({ name: z.string(), machineClass: z.string() }).optional(),
  env: Environment.nullable(),
  startedAt: z.string(),
  durationS: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  search: SearchEvaluation.optional(),
  /** an .onnx file timed as it is (no family or knobs: `family` is 'onnx', `knobs` null); absent in rows of model specs */
  onnx: OnnxFile.optional(),
});

export type ResultRow = z.infer<typeof ResultRow>;
export type LatencyStats = z.infer<typeof LatencyStats>;
export type Accuracy = z.infer<typeof Accuracy>;
export type Profile = z.infer<typeof Profile>;
export type Load = z.infer<typeof Load>;
export type Environment = z.infer<typeof Environment>;
export type Calibration = z.infer<typeof Calibration>;
export type PredictedLatency = z.infer<typeof PredictedLatency>;
export type SearchEvaluation = z.infer<typeof SearchEvaluation>;
