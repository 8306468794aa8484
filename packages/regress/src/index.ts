export * from './decide.ts';
export * from './history.ts';
