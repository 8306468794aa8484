/**
 * The runners the conformance suite checks, one entry each. Adding an entry runs the whole suite (every op case,
 * the listed canonical models, the supports() checks) against that runner; nothing else needs to change.
 * `models` limits the canonical models to keep the suite within its CI time: WebGL and WebGPU run on SwiftShader
 * here (CPU emulation, seconds per shader compile), so they get the op cases and at most a small model.
 */
import type { Runner } from '@mvbench/runner-core';
import { createOrtWebBrowserRunner, createOrtWebWasmRunner } from '@mvbench/runner-ort-web';
import { createTfjsRunner } from '@mvbench/runner-tfjs';
import { createTrainingRunner } from './train-runner.ts';

export interface ConformanceRunner {
  id: string;
  factory: () => Runner;
  /** canonical model ids to compare; 'all' = canonicalIds() */
  models: 'all' | readonly string[];
  /** op cases known to fail, with the reason: they run as expected failures, so a fix shows up as a failing test */
  knownFailures?: Readonly<Record<string, string>>;
}

export const CONFORMANCE_RUNNERS: readonly ConformanceRunner[] = [
  { id: 'ort-web:wasm', factory: createOrtWebWasmRunner, models: 'all' },
  { id: 'ort-web:wasm-browser', factory: () => createOrtWebBrowserRunner(), models: 'all' },
  {
    id: 'ort-web:webgl-browser',
    factory: () => createOrtWebBrowserRunner({ device: 'webgl' }),
    models: ['mobilenetv2_050'],
  },
  { id: 'ort-web:webgpu-browser', factory: () => createOrtWebBrowserRunner({ device: 'webgpu' }), models: [] },
  // tfjs:cpu is plain JavaScript (~0.5-3 s per inference here): two small models
  { id: 'tfjs:wasm', factory: () => createTfjsRunner('wasm'), models: 'all' },
  { id: 'tfjs:cpu', factory: () => createTfjsRunner('cpu'), models: ['mobilenetv2_050', 'mobilevitv2_050'] },
  // training's forward pass (eval mode, its variables and differentiable kernels): the op cases and one model a family
  { id: 'train:wasm', factory: () => createTrainingRunner('wasm'), models: ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050'] },
];
