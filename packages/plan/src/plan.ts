/**
 * A plan is data: which models (explicit specs and/or knob axes), on which runners and thread counts, measured
 * how. `definePlan` gives authors type checking; `validatePlan` checks untrusted input (JSON files, CLI axes).
 */
import { z } from 'zod';
import { userError } from '@mvbench/ir';

export const GRAPH_OPTIMIZATIONS = ['disabled', 'basic', 'extended', 'all'] as const;

const RunnerSetting = z.object({
  runner: z.string().min(1),
  threads: z.array(z.number().int().min(1).max(64)).min(1).default([1]),
  graphOptimization: z.enum(GRAPH_OPTIMIZATIONS).default('all'),
});

const Axes = z.object({
  family: z.string().min(1),
  /** canonical ids to start from (default: every canonical id of the family, or its first for alpha families) */
  ids: z.array(z.string()).optional(),
  widths: z.array(z.number()).optional(),
  attention: z.array(z.string()).optional(),
  patch: z.array(z.string()).optional(),
  resolution: z.array(z.number().int()).optional(),
});

const Measure = z.object({
  budgetMs: z.number().positive().default(3000),
  targetRelCi: z.number().positive().max(0.5).default(0.01),
  minRuns: z.number().int().min(6).default(20),
  maxRuns: z.number().int().min(6).default(2000),
  warmupMaxMs: z.number().positive().default(2000),
  /** fresh processes per cell whose samples are pooled: each process lands at its own level (memory layout,
   *  machine state), so more processes narrow the spread between invocations (see benchmarks/precision) */
  processes: z.number().int().min(1).max(20).default(1),
});

export const PlanSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, _ . - (used in file names)'),
    description: z.string().default(''),
    models: z.array(z.string()).default([]),
    axes: z.array(Axes).default([]),
    runners: z.array(RunnerSetting).min(1),
    measure: Measure.default(Measure.parse({})),
    accuracy: z.enum(['published', 'none']).default('published'),
    /** profile per node (onnxruntime): none, canonical ids only, or every cell */
    profile: z.enum(['none', 'canonical', 'all']).default('none'),
    timeoutS: z.number().positive().default(300),
    seed: z.number().int().default(0),
  })
  .refine((p) => p.models.length + p.axes.length > 0, { message: 'a plan needs models or axes', path: ['models'] });

export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/** identity with type checking, for plans written in TypeScript under benchmarks/ */
export const definePlan = (plan: PlanInput): PlanInput => plan;

export function validatePlan(input: unknown, source: string): Plan {
  const parsed = PlanSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(plan)'}: ${i.message}`).join('\n');
  throw userError('BAD_PLAN', `invalid plan ${source}:\n${issues}`);
}
