export * from './space.ts';
export * from './sample.ts';
export * from './coverage.ts';
