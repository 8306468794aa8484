/** The TensorFlow.js runners as data; light: tfjs loads only in create(). */
import type { RunnerDescriptor } from '@mvbench/runner-core';
import type { TfjsDevice } from './backends.ts';

const tfjsRunner = (device: TfjsDevice): RunnerDescriptor => ({
  id: `tfjs:${device}`,
  runtime: 'tensorflow.js',
  create: async () => (await import('./tfjs-runner.ts')).createTfjsRunner(device),
});

export const TFJS_RUNNERS: readonly RunnerDescriptor[] = [tfjsRunner('wasm'), tfjsRunner('cpu'), tfjsRunner('node')];
