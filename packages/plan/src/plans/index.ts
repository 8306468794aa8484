/** The built-in plans, by name (`--plan default`). A plan file (JSON or TS) can be given instead. */
import type { PlanInput } from '../plan.ts';
import defaultPlan from './default.ts';
import smoke from './smoke.ts';
import regress from './regress.ts';
import regressCi from './regress-ci.ts';
import web from './web.ts';
import node from './node.ts';
import tokenScaling from './token-scaling.ts';

export const PLANS: Readonly<Record<string, PlanInput>> = { default: defaultPlan, smoke, regress, 'regress-ci': regressCi, web, node, 'token-scaling': tokenScaling };
