/**
 * TensorFlow.js for training: tfjs-core with its gradients registered, the wasm backend (cpu as the reference), and
 * TensorFlow's C library through tfjs-node ('node', after `pnpm setup:tfjs-node`; its 'tensorflow' backend joins the
 * same engine; its thread pools follow TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS, else one thread per core).
 *
 * Node loads tfjs-core's CJS bundle, which registers no gradients; `dist/register_all_gradients.js` does, but it is
 * ESM with extensionless relative imports that Node's resolver rejects. A resolve hook scoped to tfjs-core's dist adds
 * the extension. That ESM copy shares the bundle's engine and registries (tfjs keeps them on the global object).
 */
import { createRequire, register } from 'node:module';
import type * as tfc from '@tensorflow/tfjs-core';
import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import { userError } from '@mvbench/core';

export type TF = typeof tfc;
export type Device = 'wasm' | 'cpu' | 'node';

const HOOK = `
import { existsSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  if (ctx.parentURL?.includes('/@tensorflow/tfjs-core/dist/') && spec.startsWith('.') && !spec.endsWith('.js')) {
    const url = new URL(spec, ctx.parentURL).href;
    return next(existsSync(new URL(url + '.js')) ? url + '.js' : url + '/index.js', ctx);
  }
  return next(spec, ctx);
}`;

let loading: Promise<TF> | undefined;

/** tfjs with gradients and both backends registered; loaded on first use (~0.7 s) */
export function loadTf(): Promise<TF> {
  return (loading ??= (async () => {
    register('data:text/javascript,' + encodeURIComponent(HOOK));
    const tf = await import('@tensorflow/tfjs-core');
    await Promise.all([
      import('@tensorflow/tfjs-backend-wasm'),
      import('@tensorflow/tfjs-backend-cpu'),
      import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string),
    ]);
    tf.enableProdMode(); // silences the "install tfjs-node" advice
    return tf;
  })());
}

let nodeLoaded = false;
function loadNode(tf: TF) {
  if (nodeLoaded) return;
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'; // TensorFlow's start-up notes on stderr
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-node');
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    // the machine's set-up, not a bug: a user error (exit 2), and in a sweep's or search's child its code travels back
    throw userError('RUNNER_UNAVAILABLE', `training on tfjs-node (--device node) needs its native addon (${why}): run pnpm setup:tfjs-node`);
  }
  castWithoutCopy(tf);
  nodeLoaded = true;
}

/**
 * tfjs-node runs every Cast through TensorFlow, also float32 to float32, which the gradients of Multiply and others
 * ask for on every backward pass (some 300 calls a training step). A cast to its own dtype shares the data instead,
 * as tfjs-node's Identity and the cpu backend's Cast do; other casts go to TensorFlow as before.
 */
function castWithoutCopy(tf: TF) {
  const cast = tf.getKernel('Cast', 'tensorflow');
  if (!cast) return;
  tf.unregisterKernel('Cast', 'tensorflow');
  tf.registerKernel({
    ...cast,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype !== args.attrs?.dtype) return cast.kernelFunc(args);
      (args.backend as unknown as { incRef(id: DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** tfjs with `device` as the active backend (tfjs has one global engine: call before each use) */
export async function useDevice(device: Device): Promise<TF> {
  const tf = await loadTf();
  if (device === 'node') loadNode(tf);
  const backend = device === 'node' ? 'tensorflow' : device;
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to start`);
  return tf;
}
