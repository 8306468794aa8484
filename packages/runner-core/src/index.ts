export * from './runner.ts';
export * from './null-runner.ts';
export * from './environment.ts';
export * from './fixture-input.ts';
