/**
 * TensorFlow.js and its backends. tfjs has one global engine per process, so every runner makes its backend the
 * active one before it compiles or runs (a no-op when it already is). tfjs-node is an optional dependency whose
 * native addon `pnpm setup:tfjs-node` builds (node-install.ts); it is loaded only when that addon is there.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { userError } from '@mvbench/core';
import type { TF } from '@mvbench/tfjs-engine';
import { TFJS_NODE, tfjsNodeInstall, tfjsNodeMissing } from './node-install.ts';

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
/** a package's version when it resolves from here, else undefined (reads package.json: no tfjs code loads) */
const versionOf = (pkg: string): string | undefined => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
};
const CORE = versionOf('@tensorflow/tfjs-core')!;

export function versions(device: TfjsDevice): Record<string, string> {
  const v: Record<string, string> = { '@tensorflow/tfjs-core': CORE };
  if (device === 'wasm') v['@tensorflow/tfjs-backend-wasm'] = versionOf('@tensorflow/tfjs-backend-wasm')!;
  if (device === 'cpu') v['@tensorflow/tfjs-backend-cpu'] = versionOf('@tensorflow/tfjs-backend-cpu')!;
  if (device === 'node') {
    const install = tfjsNodeInstall();
    v[TFJS_NODE] = install?.version ?? 'not installed';
    v.tensorflow = install?.built ? (install.build?.tensorflow ?? 'unknown') : 'not built'; // the C library it runs on
  }
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
 * TensorFlow sizes its intra-op and inter-op pools once per process, from TF_NUM_INTRAOP_THREADS and
 * TF_NUM_INTEROP_THREADS when set (else one thread per core each): the first prepare sets the intra-op pool from its
 * `threads` and the inter-op pool to 1 (tfjs runs one op at a time, as ort-node's interOpNumThreads: 1) before loading
 * tfjs-node. A later prepare asking for another count gets the first one's pool, and settings say so.
 */
function loadNode(threads: number): Backend {
  if (nodeBackend) return nodeBackend;
  const missing = tfjsNodeMissing();
  if (missing) throw userError('RUNNER_UNAVAILABLE', missing);
  process.env.TF_NUM_INTRAOP_THREADS ??= String(threads);
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'; // TensorFlow's start-up notes (oneDNN, CPU features) on stderr
  const pool = (name: string) => Number(process.env[name]) || os.availableParallelism();
  const [intra, inter] = [pool('TF_NUM_INTRAOP_THREADS'), pool('TF_NUM_INTEROP_THREADS')];
  const tf = require(TFJS_NODE) as TF; // tfjs-node re-exports the whole tfjs API (the same tfjs-core engine)
  const binding = () => (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
  nodeBackend = {
    tf,
    activate: () => use(tf, 'tensorflow'),
    settings: async () => ({ threads: intra, interOpThreads: inter, threadsFrom: 'TF_NUM_INTRAOP_THREADS/TF_NUM_INTEROP_THREADS, once per process', tensorflow: binding().TF_Version }),
  };
  return nodeBackend;
}

export async function backendFor(device: TfjsDevice, threads: number): Promise<Backend> {
  if (device === 'wasm') return wasmBackend();
  if (device === 'cpu') return cpuBackend();
  return loadNode(threads);
}
