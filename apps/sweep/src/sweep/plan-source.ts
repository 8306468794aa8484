/** Where a sweep's plan comes from: a built-in name, a plan file (JSON or TS), or axes given on the command line. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RUNNERS } from '@mvbench/cell';
import { parseNumber, parseNumberList, userError, type NumberRule } from '@mvbench/core';
import { PLANS, validatePlan, type Plan, type PlanInput } from '@mvbench/plan';

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
}

const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
const numbers = (flag: string, s: string | undefined, rule: NumberRule) => (s === undefined ? undefined : parseNumberList(s, `--${flag}`, rule));

async function loadPlanInput(name: string): Promise<{ input: unknown; source: string }> {
  if (PLANS[name]) return { input: PLANS[name], source: `'${name}'` };
  if (!existsSync(name))
    throw userError('BAD_PLAN', `unknown plan '${name}': built-in plans are ${Object.keys(PLANS).join(', ')}, or give a .json/.ts plan file`);
  if (!statSync(name).isFile()) throw userError('BAD_PLAN', `plan ${name} is a directory, not a plan file`);
  if (name.endsWith('.json')) {
    try {
      return { input: JSON.parse(readFileSync(name, 'utf8')), source: name };
    } catch (e) {
      throw userError('BAD_PLAN', `plan file ${name} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!/\.(ts|mts|js|mjs)$/.test(name))
    throw userError('BAD_PLAN', `plan file ${name}: expected a .json, .ts or .js plan file (or a built-in plan: ${Object.keys(PLANS).join(', ')})`);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(resolve(name)).href);
  } catch (e) {
    throw userError('BAD_PLAN', `plan file ${name} cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
  if (mod.default === undefined) throw userError('BAD_PLAN', `plan file ${name} has no default export (export default definePlan({...}))`);
  return { input: mod.default, source: name };
}

export async function resolvePlan(flags: PlanFlags): Promise<Plan> {
  const axesGiven = flags.family || flags.models;
  let input: PlanInput;
  let source: string;
  if (axesGiven) {
    source = 'from the command line';
    input = {
      name: flags.name ?? 'custom',
      description: 'axes given on the command line',
      models: list(flags.models) ?? [],
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
  plan.runners.forEach((r, i) => RUNNERS.get(r.runner, `plan ${source}: runners.${i}.runner`));
  if (flags.budgetMs !== undefined) plan.measure.budgetMs = parseNumber(flags.budgetMs, '--budget-ms', { above: 0 });
  if (flags.maxMinutes === 'none') delete plan.measure.maxMinutes;
  else if (flags.maxMinutes !== undefined)
    plan.measure.maxMinutes = validatePlan({ ...plan, measure: { ...plan.measure, maxMinutes: Number(flags.maxMinutes) } }, '--max-minutes').measure.maxMinutes;
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
