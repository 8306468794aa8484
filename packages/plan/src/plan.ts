/**
 * A plan is data: which models (explicit specs and/or knob axes), on which runners and thread counts, measured
 * how. `definePlan` gives authors type checking; `validatePlan` checks untrusted input (JSON files, CLI axes).
 */
import { z } from 'zod';
import { userError } from '@mvbench/core';

export const GRAPH_OPTIMIZATIONS = ['disabled', 'basic', 'extended', 'all'] as const;

// every object is strict: a typo such as `measure.budgetMS` is an error, never silently the default
const RunnerSetting = z.strictObject({
  runner: z.string().min(1),
  threads: z.array(z.number().int().min(1).max(64)).min(1).default([1]),
  graphOptimization: z.enum(GRAPH_OPTIMIZATIONS).default('all'),
});

const axis = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'an empty list gives no cells: leave the axis out or give values').optional();

/** knob values to range over; each is checked by the DSL as the spec `<id>:<knob>=<value>` would be */
const Axes = z.strictObject({
  family: z.string().min(1),
  /** canonical ids to start from (default: every canonical id of the family, or its first for alpha families) */
  ids: axis(z.string()),
  widths: axis(z.number()),
  attention: axis(z.string()),
  patch: axis(z.string()),
  resolution: axis(z.number().int()),
  /** blocks per stage, e.g. '1x2x1' (MobileViT v1/v2), '2x2x4x3' (SwiftFormer), '1x2x3x4x3x3x1' (MobileNetV2) */
  depth: axis(z.string()),
  /** MLP ratio of the transformer blocks */
  ffn: axis(z.number()),
  /** expansion of the inverted-residual (conv) blocks */
  expand: axis(z.number()),
  /** MobileViT v1 transformer widths per block, e.g. '64x80x96' */
  dims: axis(z.string()),
});

const Measure = z
  .strictObject({
  budgetMs: z.number().positive().default(3000),
  targetRelCi: z.number().positive().max(0.5).default(0.01),
  minRuns: z.number().int().min(6).default(20),
  maxRuns: z.number().int().min(6).default(2000),
  warmupMaxMs: z.number().positive().default(2000),
  /** exactly this many untimed runs before timing (hyperfine's --warmup); absent: until window medians settle */
  warmupRuns: z.number().int().min(0).max(100_000).optional(),
  /** fresh processes per cell whose samples are pooled: each process lands at its own level (memory layout,
   *  machine state), so more processes narrow the spread between invocations (see benchmarks/precision) */
  processes: z.number().int().min(1).max(20).default(1),
  /** total time of a sweep, minutes: each cell's timed phase is scaled down so the sweep ends in time (budget.ts);
   *  absent: no limit, every cell gets budgetMs */
  maxMinutes: z.number().positive().optional(),
  /** also count instructions per inference under Valgrind (ort-node:cpu and ort-web:wasm cells; ~1-2 min per cell, after its timing) */
  instructions: z.boolean().default(false),
  })
  .refine((m) => m.minRuns <= m.maxRuns, { message: 'minRuns must not exceed maxRuns (every cell would fail)', path: ['minRuns'] });

/**
 * An .onnx file timed as it is (like onnxruntime_perf_test): no family or knobs. `inputShapes` fix its dynamic input
 * dimensions, each `1x3x256x256` (a model with one input) or `<input name>=1x3x256x256`. A string is the file alone.
 */
const OnnxModel = z.preprocess(
  (e) => (typeof e === 'string' ? { file: e } : e),
  z.strictObject({ file: z.string().regex(/\.onnx$/i, 'an .onnx file'), inputShapes: z.array(z.string()).min(1).optional() }),
);

export const ZERO_COST_PROXIES = ['synflow', 'grad_norm', 'snip', 'naswot'] as const;
/** TensorFlow.js backends a proxy training can run on */
export const DEVICES = ['wasm', 'node'] as const;

/**
 * Where each cell's accuracy comes from. It depends on the model only (not on the runner), so it is computed once
 * per spec, in a child process of its own, and shared by that spec's cells. A string is the kind with defaults.
 */
const AccuracyRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  /** the released weights' ImageNet top-1, canonical ids only */
  z.strictObject({ kind: z.literal('published') }),
  /** top-1 of a checkpoint on a labelled dataset (mvbench eval); weights: a directory of <canonical id>.safetensors */
  z.strictObject({
    kind: z.literal('evaluated'),
    data: z.string().min(1),
    weights: z.string().min(1),
    labels: z.string().optional(),
    classNames: z.string().optional(),
    limit: z.number().int().positive().optional(),
    runner: z.string().default('ort-node:cpu'),
    timeoutS: z.number().positive().default(3600),
  }),
  /** held-out top-1 after a short training on a proxy task (mvbench train) */
  z.strictObject({
    kind: z.literal('proxy'),
    data: z.string().default('synthetic'),
    resolution: z.number().int().min(32).max(512).default(64),
    epochs: z.number().int().min(1).max(1000).default(5),
    batch: z.number().int().min(2).max(512).default(32),
    lr: z.number().positive().optional(),
    trainImages: z.number().int().positive().optional(),
    testImages: z.number().int().positive().optional(),
    /** synthetic only: its first k classes */
    classes: z.number().int().min(2).max(10).optional(),
    seed: z.number().int().default(0),
    /** TensorFlow.js backend: wasm (when absent) or node (TensorFlow's C library, after pnpm setup:tfjs-node) */
    device: z.enum(DEVICES).optional(),
    timeoutS: z.number().positive().default(3600),
  }),
  /** a training-free score at initialisation (mvbench score): a ranking signal, not an accuracy */
  z.strictObject({
    kind: z.literal('zero-cost'),
    proxy: z.enum(ZERO_COST_PROXIES).default('naswot'),
    resolution: z.number().int().min(32).max(512).default(64),
    batch: z.number().int().min(2).max(512).default(16),
    data: z.string().default('synthetic'),
    seed: z.number().int().default(0),
    timeoutS: z.number().positive().default(600),
  }),
]);

/** a kind name alone stands for the kind with its defaults: 'proxy' = { kind: 'proxy' } */
const Accuracy = z.preprocess((a) => (typeof a === 'string' ? { kind: a } : a), AccuracyRequest);

export type AccuracyPlan = z.infer<typeof AccuracyRequest>;

export const PlanSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . - (used in file names)'),
    description: z.string().default(''),
    models: z.array(z.string()).default([]),
    axes: z.array(Axes).default([]),
    /** .onnx files to time beside the specs (paths relative to where mvbench runs) */
    onnx: z.array(OnnxModel).default([]),
    runners: z.array(RunnerSetting).min(1),
    measure: Measure.default(Measure.parse({})),
    accuracy: Accuracy.default({ kind: 'published' }),
    /** profile per node (onnxruntime): none, canonical ids only, or every cell */
    profile: z.enum(['none', 'canonical', 'all']).default('none'),
    timeoutS: z.number().positive().default(300),
    seed: z.number().int().default(0),
  })
  .refine((p) => p.models.length + p.axes.length + p.onnx.length > 0, { message: 'a plan needs models or axes (or onnx files)', path: ['models'] });

export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/** identity with type checking, for plans written in TypeScript (the built-in ones in plans/, or a plan file) */
export const definePlan = (plan: PlanInput): PlanInput => plan;

export function validatePlan(input: unknown, source: string): Plan {
  const parsed = PlanSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(plan)'}: ${i.message}`).join('\n');
  throw userError('BAD_PLAN', `invalid plan ${source}:\n${issues}`);
}
