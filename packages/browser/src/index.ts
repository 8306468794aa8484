export * from './launch.ts';
export * from './serve.ts';
