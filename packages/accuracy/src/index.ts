export { evaluate, type EvalOptions, type EvalResult } from './evaluate.ts';
export { proxyTrain } from './proxy.ts';
export { zeroCost, type ZeroCostProxy } from './zero-cost.ts';
export { accuracyFor } from './for-spec.ts';
