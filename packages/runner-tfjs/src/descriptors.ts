/** The TensorFlow.js runners as data; light: tfjs loads only in create(). */
import type { RunnerDescriptor } from '@mvbench/runner-core';
import type { TfjsDevice } from './backends.ts';

const tfjsRunner = (device: TfjsDevice): RunnerDescriptor => ({
  id: `tfjs:${device}`,
  runtime: 'tensorflow.js',
  create: async () => (await import('./tfjs-runner.ts')).createTfjsRunner(device),
  // backends.ts and node-install.ts read package files only; tfjs itself loads in create()
  probe: async () => {
    const [{ versions }, { tfjsNodeMissing }] = await Promise.all([import('./backends.ts'), import('./node-install.ts')]);
    const missing = device === 'node' ? tfjsNodeMissing() : undefined;
    return { versions: versions(device), ...(missing ? { unavailable: missing } : {}) };
  },
});

export const TFJS_RUNNERS: readonly RunnerDescriptor[] = [tfjsRunner('wasm'), tfjsRunner('cpu'), tfjsRunner('node')];
