/**
 * The hand-written gradients on wasm against tfjs' own autodiff on the cpu backend, for every conv form the four
 * families use (and a few they might): max |difference| <= 1e-4 of the largest reference value, per output.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { batchNorm, conv2d, matMul, type ConvSpec } from './custom-grads.ts';
import { mulberry32 } from '@mvbench/core';
import { useDevice, type Device } from './tf.ts';

const random = (n: number, seed: number) => {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** max |a - b| / max |b| */
const relDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / b.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);

/** y and the gradients of sum(y * r) w.r.t. every input, on `device` */
async function gradients(device: Device, f: (tf: Awaited<ReturnType<typeof useDevice>>, ...xs: Tensor[]) => Tensor, shapes: number[][], seed = 1) {
  const tf = await useDevice(device);
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.tensor(random(size(s), seed + i), s));
    const y0 = f(tf, ...xs);
    const r = tf.tensor(random(y0.size, seed + 99), y0.shape);
    const g = tf.grads((...args: Tensor[]) => tf.sum(tf.mul(f(tf, ...args), r)));
    return [y0, ...g(xs)].map((t) => t.dataSync() as Float32Array);
  });
}

const CONVS: [string, number[], Omit<ConvSpec, 'mode'>, boolean][] = [
  ['1x1', [2, 9, 9, 8], { kernel: [1, 1], strides: [1, 1], pads: [0, 0], depthwise: false }, false],
  ['1x1 + bias, wide input', [2, 6, 6, 24], { kernel: [1, 1], strides: [1, 1], pads: [0, 0], depthwise: false }, true],
  ['3x3 stride 1', [2, 8, 8, 5], { kernel: [3, 3], strides: [1, 1], pads: [1, 1], depthwise: false }, false],
  ['3x3 stride 2 (stem)', [2, 16, 16, 3], { kernel: [3, 3], strides: [2, 2], pads: [1, 1], depthwise: false }, false],
  ['3x3 stride 2, odd size, bias', [2, 9, 9, 4], { kernel: [3, 3], strides: [2, 2], pads: [1, 1], depthwise: false }, true],
  ['3x3 no padding', [2, 7, 7, 4], { kernel: [3, 3], strides: [1, 1], pads: [0, 0], depthwise: false }, false],
  ['depthwise 3x3 stride 1', [2, 8, 8, 6], { kernel: [3, 3], strides: [1, 1], pads: [1, 1], depthwise: true }, false],
  ['depthwise 3x3 stride 1 + bias', [2, 8, 8, 6], { kernel: [3, 3], strides: [1, 1], pads: [1, 1], depthwise: true }, true],
  ['depthwise 3x3 stride 2', [2, 8, 8, 6], { kernel: [3, 3], strides: [2, 2], pads: [1, 1], depthwise: true }, false],
  ['depthwise 3x3 stride 2, odd size', [2, 7, 7, 6], { kernel: [3, 3], strides: [2, 2], pads: [1, 1], depthwise: true }, true],
  ['depthwise 5x5 stride 2', [2, 10, 10, 4], { kernel: [5, 5], strides: [2, 2], pads: [2, 2], depthwise: true }, false],
];

describe('custom gradients on wasm vs autodiff on cpu', () => {
  it.each(CONVS)('conv %s', async (_, x, spec, bias) => {
    const O = spec.depthwise ? x[3] : 7;
    const shapes = [x, [...spec.kernel, x[3], spec.depthwise ? 1 : O], ...(bias ? [[O]] : [])];
    const run = (mode: ConvSpec['mode']) => (tf: Awaited<ReturnType<typeof useDevice>>, ...xs: Tensor[]) =>
      conv2d(tf, { ...spec, mode })(xs[0] as Tensor4D, xs[1] as Tensor4D, xs[2]);
    const fast = await gradients('wasm', run('fast'), shapes);
    const ref = await gradients('cpu', run('native'), shapes);
    expect(fast.length).toBe(ref.length);
    fast.forEach((v, i) => expect(relDiff(v, ref[i]), `output ${i}`).toBeLessThanOrEqual(1e-4));
  });

  it('matMul, 2-D and batched', async () => {
    for (const shapes of [[[5, 7], [7, 3]], [[4, 5, 7], [4, 7, 6]]]) {
      const fast = await gradients('wasm', (tf, a, b) => matMul(tf)(a, b), shapes);
      const ref = await gradients('cpu', (tf, a, b) => tf.matMul(a as never, b as never), shapes);
      fast.forEach((v, i) => expect(relDiff(v, ref[i])).toBeLessThanOrEqual(1e-5));
    }
  });

  it('training-mode BatchNorm, and the statistics it reports', async () => {
    const stats: Float32Array[] = [];
    const fast = await gradients('wasm', (tf, x, g, b) => batchNorm(tf, 1e-5, (m, v) => stats.push(m.dataSync() as Float32Array, v.dataSync() as Float32Array))(x, g, b), [[3, 4, 4, 5], [5], [5]]);
    const ref = await gradients('cpu', (tf, x, g, b) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    }, [[3, 4, 4, 5], [5], [5]]);
    fast.forEach((v, i) => expect(relDiff(v, ref[i]), `output ${i}`).toBeLessThanOrEqual(1e-4));
    const x = random(3 * 4 * 4 * 5, 1);
    const mean = [0, 1, 2, 3, 4].map((c) => x.filter((_, i) => i % 5 === c).reduce((a, b) => a + b, 0) / 48);
    stats[0].forEach((m, c) => expect(m).toBeCloseTo(mean[c], 5));
  });
});
