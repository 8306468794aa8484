export { runArchitectureSearch, type SearchSettings, type SearchResult, type HypervolumePoint } from './run.ts';
export { spentMs } from './rows.ts';
export { DEFAULT_REDUCTION_FACTOR, OBJECTIVES, type Objective, type Constraints, type LatencyFn } from './evaluate.ts';
export { parseFidelities } from './fidelities.ts';
export { DEFAULT_FIDELITIES, proxyAccuracy, type Fidelity, type ZeroCostProxy } from './accuracy.ts';
export { runSearch, type Method } from './search.ts';
export { ANCHOR_GENERATION, type Improvement } from './anchors.ts';
export type { OpenBackend, SearchBackend } from './backend.ts';
