export { createTfjsRunner, type TfjsPrepared } from './tfjs-runner.ts';
export type { TfjsDevice } from './backends.ts';
