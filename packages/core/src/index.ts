export * from './errors.ts';
export * from './numbers.ts';
export * from './rng.ts';
export * from './rank.ts';
export * from './hypervolume.ts';
