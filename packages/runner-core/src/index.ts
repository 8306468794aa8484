export * from './runner.ts';
export * from './null-runner.ts';
export * from './environment.ts';
export * from './fixture-input.ts';
export * from './stats.ts';
export * from './measure.ts';
export * from './interleave.ts';
export * from './calibrate.ts';
