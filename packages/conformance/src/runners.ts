/**
 * The runners the conformance suite checks, one entry each. Adding an entry runs the whole suite (every op case,
 * the listed canonical models, the supports() checks) against that runner; nothing else needs to change.
 * `models` limits the canonical models to keep the suite within its CI time: WebGL and WebGPU run on SwiftShader
 * here (CPU emulation, seconds per shader compile), so they get the op cases and at most a small model.
 */
import { runnerCatalogue, type RunnerDescriptor } from '@mvbench/runner-core';
import { ORT_WEB_RUNNERS } from '@mvbench/runner-ort-web/descriptors';
import { TFJS_RUNNERS } from '@mvbench/runner-tfjs/descriptors';

// training's forward pass is no runner of the sweep's: its descriptor lives here, beside the suite that checks it
const TRAIN_WASM: RunnerDescriptor = {
  id: 'train:wasm',
  runtime: 'tensorflow.js',
  create: async () => (await import('./train-runner.ts')).createTrainingRunner('wasm'),
};
const RUNNERS = runnerCatalogue([...ORT_WEB_RUNNERS, ...TFJS_RUNNERS, TRAIN_WASM]);

export interface ConformanceRunner {
  /** a runner's descriptor: the suite creates each runner as the sweep does, without a shared browser */
  descriptor: RunnerDescriptor;
  /** canonical model ids to compare; 'all' = canonicalIds() */
  models: 'all' | readonly string[];
  /** op cases known to fail, with the reason: they run as expected failures, so a fix shows up as a failing test */
  knownFailures?: Readonly<Record<string, string>>;
  /**
   * an optional runtime (tfjs:node needs `pnpm setup:tfjs-node`): where it is absent one test says so, instead of a
   * failure per case, and fails when this environment variable is set (CI sets it after the setup)
   */
  requiredBy?: string;
}

const entry = (id: string, models: ConformanceRunner['models']): ConformanceRunner => ({ descriptor: RUNNERS.get(id), models });

export const CONFORMANCE_RUNNERS: readonly ConformanceRunner[] = [
  entry('ort-web:wasm', 'all'),
  entry('ort-web:wasm-browser', 'all'),
  entry('ort-web:webgl-browser', ['mobilenetv2_050']),
  entry('ort-web:webgpu-browser', []),
  // tfjs:cpu is plain JavaScript (~0.5-3 s per inference here): two small models
  entry('tfjs:wasm', 'all'),
  entry('tfjs:cpu', ['mobilenetv2_050', 'mobilevitv2_050']),
  { ...entry('tfjs:node', 'all'), requiredBy: 'MVBENCH_REQUIRE_TFJS_NODE' },
  // training's forward pass (eval mode, its variables and differentiable kernels): the op cases and one model a family
  entry('train:wasm', ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050']),
];
