/** The built-in plans as a user lists them (`mvbench plans`): what each measures and how many cells it has. */
import { expandPlan, planSpecs } from './expand.ts';
import { validatePlan } from './plan.ts';
import { PLANS } from './plans/index.ts';

export interface PlanSummary {
  name: string;
  description: string;
  specs: number;
  cells: number;
  runners: string[];
  threads: number[];
  /** the sweep's total time limit, minutes (measure.maxMinutes); null: none */
  maxMinutes: number | null;
}

export const builtInPlans = (): PlanSummary[] =>
  Object.entries(PLANS).map(([name, input]) => {
    const plan = validatePlan(input, `'${name}'`);
    return {
      name,
      description: plan.description,
      specs: planSpecs(plan).length,
      cells: expandPlan(plan).length,
      runners: [...new Set(plan.runners.map((r) => r.runner))],
      threads: [...new Set(plan.runners.flatMap((r) => r.threads))].sort((a, b) => a - b),
      maxMinutes: plan.measure.maxMinutes ?? null,
    };
  });
