/** The TensorFlow.js runners as data; light: tfjs loads only in create(). */
import type { RunnerDescriptor } from '@mvbench/runner-core';
import type { TfjsDevice } from './backends.ts';

const tfjsRunner = (device: TfjsDevice): RunnerDescriptor => ({
  id: `tfjs:${device}`,
  runtime: 'tensorflow.js',
  create: async () => (await import('./tfjs-runner.ts')).createTfjsRunner(device),
  // backends.ts reads package files only; tfjs itself loads in create()
  probe: async () => {
    const { versions, tfjsNodeVersion, TFJS_NODE_MISSING } = await import('./backends.ts');
    return { versions: versions(device), ...(device === 'node' && !tfjsNodeVersion() ? { unavailable: TFJS_NODE_MISSING } : {}) };
  },
});

export const TFJS_RUNNERS: readonly RunnerDescriptor[] = [tfjsRunner('wasm'), tfjsRunner('cpu'), tfjsRunner('node')];
