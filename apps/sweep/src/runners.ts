/** Runner ids -> factories. Runners are chosen explicitly by id (plans, --runner); nothing registers on import. */
import { userError } from '@mvbench/ir';
import type { Runner } from '@mvbench/runner-core';
import { createNullRunner } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { createTfjsRunner } from '@mvbench/runner-tfjs';
import { createOrtWebBrowserRunner, createOrtWebWasmRunner } from '@mvbench/runner-ort-web';

const FACTORIES: Record<string, () => Runner> = {
  'ort-node:cpu': createOrtNodeRunner,
  'tfjs:wasm': () => createTfjsRunner('wasm'),
  'tfjs:cpu': () => createTfjsRunner('cpu'),
  'tfjs:node': () => createTfjsRunner('node'),
  'ort-web:wasm': createOrtWebWasmRunner,
  'ort-web:wasm-browser': () => createOrtWebBrowserRunner({ device: 'wasm' }),
  'ort-web:webgl-browser': () => createOrtWebBrowserRunner({ device: 'webgl' }),
  'ort-web:webgpu-browser': () => createOrtWebBrowserRunner({ device: 'webgpu' }),
  null: createNullRunner,
};

export const runnerIds = (): string[] => Object.keys(FACTORIES);

export function createRunner(id: string): Runner {
  const factory = FACTORIES[id];
  if (!factory) throw userError('UNKNOWN_RUNNER', `unknown runner '${id}'; available runners: ${runnerIds().join(', ')}`);
  return factory();
}
