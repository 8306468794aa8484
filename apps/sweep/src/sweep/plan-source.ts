/**
 * The plan flags of a sweep: axes given on the command line, or a built-in name / plan file (loaded by
 * @mvbench/sweep-run), then the flags that override the plan's runners, threads, budget, profile and accuracy.
 */
import { parseNumber, parseNumberList, userError, type NumberRule } from '@mvbench/core';
import { parseInputShape, validatePlan, type Plan, type PlanInput } from '@mvbench/plan';
import { checkPlanRunners, loadPlanInput } from '@mvbench/sweep-run';

export interface PlanFlags {
  plan?: string;
  models?: string;
  family?: string;
  ids?: string;
  widths?: string;
  attention?: string;
  patch?: string;
  resolution?: string;
  runner?: string;
  threads?: string;
  opt?: string;
  budgetMs?: string;
  maxMinutes?: string;
  profile?: string;
  accuracy?: string;
  name?: string;
  warmup?: string;
  minRuns?: string;
  maxRuns?: string;
  processes?: string;
  targetCi?: string;
  onnx?: string;
  inputShape?: string;
}

const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
const numbers = (flag: string, s: string | undefined, rule: NumberRule) => (s === undefined ? undefined : parseNumberList(s, `--${flag}`, rule));

export async function resolvePlan(flags: PlanFlags): Promise<Plan> {
  const axesGiven = flags.family || flags.models || flags.onnx;
  if (flags.inputShape && !flags.onnx) throw userError('BAD_ARGUMENT', '--input-shape sets the dynamic input dimensions of --onnx files: give --onnx too');
  list(flags.inputShape)?.forEach((s) => parseInputShape(s, '--input-shape'));
  let input: PlanInput;
  let source: string;
  if (axesGiven) {
    source = 'from the command line';
    input = {
      name: flags.name ?? 'custom',
      description: 'axes given on the command line',
      models: list(flags.models) ?? [],
      onnx: (list(flags.onnx) ?? []).map((file) => ({ file, inputShapes: list(flags.inputShape) })),
      axes: flags.family
        ? [{ family: flags.family, ids: list(flags.ids), widths: numbers('widths', flags.widths, { above: 0 }), attention: list(flags.attention), patch: list(flags.patch), resolution: numbers('resolution', flags.resolution, { integer: true, min: 1 }) }]
        : [],
      runners: [{ runner: 'ort-node:cpu', threads: [1] }],
    };
  } else {
    const loaded = await loadPlanInput(flags.plan ?? 'default');
    input = loaded.input as PlanInput;
    source = loaded.source;
  }
  const plan = validatePlan(input, source);
  if (flags.runner || flags.threads || flags.opt) {
    const runners = list(flags.runner) ?? [...new Set(plan.runners.map((r) => r.runner))];
    const threads = numbers('threads', flags.threads, { integer: true, min: 1, max: 64 });
    plan.runners = runners.map((runner) => ({
      runner,
      threads: threads ?? plan.runners.find((r) => r.runner === runner)?.threads ?? [1],
      graphOptimization: (flags.opt ?? plan.runners[0].graphOptimization) as Plan['runners'][number]['graphOptimization'],
    }));
    validatePlan(plan, source);
  }
  checkPlanRunners(plan, source);
  if (flags.budgetMs !== undefined) plan.measure.budgetMs = parseNumber(flags.budgetMs, '--budget-ms', { above: 0 });
  if (flags.maxMinutes === 'none') delete plan.measure.maxMinutes;
  else if (flags.maxMinutes !== undefined)
    plan.measure.maxMinutes = validatePlan({ ...plan, measure: { ...plan.measure, maxMinutes: Number(flags.maxMinutes) } }, '--max-minutes').measure.maxMinutes;
  plan.measure = measureFlags(plan, flags, source);
  if (flags.profile) plan.profile = validatePlan({ ...plan, profile: flags.profile }, '--profile').profile;
  if (flags.accuracy) plan.accuracy = validatePlan({ ...plan, accuracy: accuracyFlag(flags.accuracy) }, '--accuracy').accuracy;
  return plan;
}

/** `--accuracy proxy` or `--accuracy '{"kind":"proxy","epochs":3}'` */
function accuracyFlag(text: string): unknown {
  if (!text.trim().startsWith('{')) return text.trim();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw userError('BAD_ARGUMENT', `--accuracy: not a kind name or a JSON object: ${(e as Error).message}`);
  }
}

/** hyperfine-style overrides of the plan's measurement, checked like a plan's own fields (minRuns <= maxRuns) */
function measureFlags(plan: Plan, flags: PlanFlags, source: string): Plan['measure'] {
  const count = (flag: string, s: string | undefined, min: number) => (s === undefined ? undefined : parseNumber(s, `--${flag}`, { integer: true, min }));
  const given = {
    warmupRuns: count('warmup', flags.warmup, 0),
    minRuns: count('min-runs', flags.minRuns, 6),
    maxRuns: count('max-runs', flags.maxRuns, 6),
    processes: count('processes', flags.processes, 1),
    targetRelCi: flags.targetCi === undefined ? undefined : parseNumber(flags.targetCi, '--target-ci', { above: 0, max: 0.5, hint: 'the CI half-width aimed at, as a fraction of the median: 0.01 = 1%' }),
  };
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  if (!Object.keys(set).length) return plan.measure;
  return validatePlan({ ...plan, measure: { ...plan.measure, ...set } }, `${source} with --warmup/--min-runs/--max-runs/--processes/--target-ci`).measure;
}
