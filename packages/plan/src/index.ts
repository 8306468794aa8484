export * from './plan.ts';
export * from './expand.ts';
