/** Runner ids -> factories. Runners are chosen explicitly by id (plans, --runner); nothing registers on import. */
import { userError } from '@mvbench/ir';
import type { Runner } from '@mvbench/runner-core';

// loaded on first use: a cell's process imports its one runtime, not all of them (onnxruntime-web and tfjs cost
// ~0.3 s of module loading per process, paid three times per cell by the default plan)
const ortNode = () => import('@mvbench/runner-ort-node');
const tfjs = () => import('@mvbench/runner-tfjs');
const ortWeb = () => import('@mvbench/runner-ort-web');

const FACTORIES: Record<string, () => Promise<Runner>> = {
  'ort-node:cpu': async () => (await ortNode()).createOrtNodeRunner(),
  'tfjs:wasm': async () => (await tfjs()).createTfjsRunner('wasm'),
  'tfjs:cpu': async () => (await tfjs()).createTfjsRunner('cpu'),
  'tfjs:node': async () => (await tfjs()).createTfjsRunner('node'),
  'ort-web:wasm': async () => (await ortWeb()).createOrtWebWasmRunner(),
  'ort-web:wasm-browser': async () => (await ortWeb()).createOrtWebBrowserRunner({ device: 'wasm' }),
  'ort-web:webgl-browser': async () => (await ortWeb()).createOrtWebBrowserRunner({ device: 'webgl' }),
  'ort-web:webgpu-browser': async () => (await ortWeb()).createOrtWebBrowserRunner({ device: 'webgpu' }),
  null: async () => (await import('@mvbench/runner-core')).createNullRunner(),
};

export const runnerIds = (): string[] => Object.keys(FACTORIES);

export async function createRunner(id: string): Promise<Runner> {
  const factory = FACTORIES[id];
  if (!factory) throw userError('UNKNOWN_RUNNER', `unknown runner '${id}'; available runners: ${runnerIds().join(', ')}`);
  return factory();
}
