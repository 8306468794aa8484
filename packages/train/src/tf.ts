/**
 * TensorFlow.js for training: tfjs-core with its gradients registered, the wasm backend (cpu as the reference).
 *
 * Node loads tfjs-core's CJS bundle, which registers no gradients; `dist/register_all_gradients.js` does, but it is
 * ESM with extensionless relative imports that Node's resolver rejects. A resolve hook scoped to tfjs-core's dist adds
 * the extension. That ESM copy shares the bundle's engine and registries (tfjs keeps them on the global object).
 */
import { register } from 'node:module';
import type * as tfc from '@tensorflow/tfjs-core';

export type TF = typeof tfc;
export type Device = 'wasm' | 'cpu';

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

/** tfjs with `device` as the active backend (tfjs has one global engine: call before each use) */
export async function useDevice(device: Device): Promise<TF> {
  const tf = await loadTf();
  if (tf.getBackend() !== device && !(await tf.setBackend(device))) throw new Error(`tfjs backend '${device}' failed to start`);
  return tf;
}
