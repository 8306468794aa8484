/**
 * TensorFlow.js and its backends. tfjs has one global engine per process, so every runner makes its backend the
 * active one before it compiles or runs (a no-op when it already is). tfjs-node is never a dependency: its install
 * downloads libtensorflow, which fails on machines without that network access, so it is loaded only when the user
 * installed it.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { userError } from '@mvbench/core';
import type { TF } from '@mvbench/tfjs-engine';

export type { TF };
export type TfjsDevice = 'wasm' | 'cpu' | 'node';

interface Backend {
  tf: TF;
  /** makes this the engine's backend (a no-op when it already is); before every compile and run */
  activate(): Promise<void>;
  /** what it runs with, recorded in settingsUsed */
  settings(): Promise<{ threads: number; [k: string]: unknown }>;
}

const require = createRequire(import.meta.url);
const TFJS_NODE = '@tensorflow/tfjs-node';
/** a package's version when it resolves from here, else undefined (reads package.json: no tfjs code loads) */
const versionOf = (pkg: string): string | undefined => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
};
const CORE = versionOf('@tensorflow/tfjs-core')!;
export const tfjsNodeVersion = () => versionOf(TFJS_NODE);
export const TFJS_NODE_MISSING =
  `${TFJS_NODE} is not installed; tfjs:node needs it: pnpm --filter @mvbench/runner-tfjs add ${TFJS_NODE}@${CORE} ` +
  `(its install downloads libtensorflow; allow its build script under allowBuilds in pnpm-workspace.yaml)`;

export function versions(device: TfjsDevice): Record<string, string> {
  const v: Record<string, string> = { '@tensorflow/tfjs-core': CORE };
  if (device === 'wasm') v['@tensorflow/tfjs-backend-wasm'] = versionOf('@tensorflow/tfjs-backend-wasm')!;
  if (device === 'cpu') v['@tensorflow/tfjs-backend-cpu'] = versionOf('@tensorflow/tfjs-backend-cpu')!;
  if (device === 'node') v[TFJS_NODE] = tfjsNodeVersion() ?? 'not installed';
  return v;
}

async function use(tf: TF, name: string): Promise<void> {
  tf.enableProdMode(); // silences tfjs' console advice ("install tfjs-node"); checks stay on
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs backend '${name}' failed to initialise`);
}

// tfjs loads on first use (~250 ms): importing this package costs nothing to commands that never run it
let core: Promise<[TF, typeof import('@tensorflow/tfjs-backend-wasm')]> | undefined;
const loadCore = () =>
  (core ??= Promise.all([
    import('@tensorflow/tfjs-core'),
    import('@tensorflow/tfjs-backend-wasm'),
    import('@tensorflow/tfjs-backend-cpu'),
  ]).then(([tf, wasm]) => [tf, wasm]));

async function wasmBackend(): Promise<Backend> {
  const [tf, wasm] = await loadCore();
  return {
    tf,
    activate: () => use(tf, 'wasm'),
    settings: async () => ({
      threads: wasm.getThreadsCount(), // tfjs-backend-wasm runs single-threaded in Node
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      multithreadSupport: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    }),
  };
}

async function cpuBackend(): Promise<Backend> {
  const [tf] = await loadCore();
  return { tf, activate: () => use(tf, 'cpu'), settings: async () => ({ threads: 1 }) }; // JavaScript, main thread
}

let nodeBackend: Backend | undefined;
/**
 * libtensorflow sizes its intra-op pool once per process, from TF_NUM_INTRAOP_THREADS when set (else one per core):
 * the first prepare sets it from its `threads` before loading tfjs-node.
 */
function loadNode(threads: number): Backend {
  if (nodeBackend) return nodeBackend;
  if (!tfjsNodeVersion()) throw userError('RUNNER_FAILED', TFJS_NODE_MISSING);
  process.env.TF_NUM_INTRAOP_THREADS ??= String(threads);
  const pool = Number(process.env.TF_NUM_INTRAOP_THREADS) || os.availableParallelism();
  const tf = require(TFJS_NODE) as TF; // tfjs-node re-exports the whole tfjs API, bound to its own engine
  nodeBackend = {
    tf,
    activate: () => use(tf, 'tensorflow'),
    settings: async () => ({ threads: pool, threadsFrom: 'TF_NUM_INTRAOP_THREADS, set once per process' }),
  };
  return nodeBackend;
}

export async function backendFor(device: TfjsDevice, threads: number): Promise<Backend> {
  if (device === 'wasm') return wasmBackend();
  if (device === 'cpu') return cpuBackend();
  return loadNode(threads);
}
