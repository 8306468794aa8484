export * from './graph.ts';
export * from './ops.ts';
export * from './infer.ts';
export * from './init.ts';
export * from './stats.ts';
