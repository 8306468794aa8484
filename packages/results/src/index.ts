export * from './schema.ts';
export * from './jsonl.ts';
export * from './csv.ts';
export * from './pareto.ts';
export * from './history.ts';
export * from './calibration.ts';
export * from './writable.ts';
export * from './latest.ts';
