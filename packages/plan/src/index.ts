export * from './plan.ts';
export * from './expand.ts';
export * from './budget.ts';
export { PLANS } from './plans/index.ts';
export * from './catalogue.ts';
