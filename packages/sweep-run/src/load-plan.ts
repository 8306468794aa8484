/** Where a plan comes from when it is not given as axes: a built-in name, or a plan file (JSON or TS). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RUNNERS } from '@mvbench/cell';
import { userError } from '@mvbench/core';
import { PLANS, type Plan } from '@mvbench/plan';

/** the unvalidated plan named `name` and how messages name its source ("'default'", or the file) */
export async function loadPlanInput(name: string): Promise<{ input: unknown; source: string }> {
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

/** every runner id of the plan is in the catalogue (a user error naming the field otherwise) */
export function checkPlanRunners(plan: Plan, source: string): void {
  plan.runners.forEach((r, i) => RUNNERS.get(r.runner, `plan ${source}: runners.${i}.runner`));
}
