/**
 * The all-parameters-at-once AdamW against the per-parameter update it replaced: bit for bit, over steps whose
 * learning rate changes, with a decayed matrix, an undecayed bias and a parameter left without a gradient. On wasm,
 * and on tfjs-node when built.
 */
import { describe, expect, it } from 'vitest';
import { adamW } from './adamw.ts';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { useDevice, type Device, type TF } from './tf.ts';

/** the update as it was written before, one parameter at a time */
function perParameter(tf: TF, params: ReadonlyMap<string, Variable>, wd: number, [b1, b2] = [0.9, 0.999]) {
  const state = new Map([...params].map(([name, p]) => [name, { m: tf.variable(tf.zerosLike(p), false), v: tf.variable(tf.zerosLike(p), false), decay: p.rank > 1 ? wd : 0 }]));
  let t = 0;
  return (grads: ReadonlyMap<string, Tensor>, lr: number) => {
    t++;
    const [c1, c2] = [1 - b1 ** t, 1 - b2 ** t];
    tf.tidy(() => {
      for (const [name, g] of grads) {
        const p = params.get(name)!, s = state.get(name)!;
        s.m.assign(tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1)));
        s.v.assign(tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2)));
        const update = tf.div(tf.div(s.m, c1), tf.add(tf.sqrt(tf.div(s.v, c2)), 1e-8));
        p.assign(tf.sub(tf.mul(p, 1 - lr * s.decay), tf.mul(update, lr)));
      }
    });
  };
}

const devices: Device[] = ['wasm', ...((await useDevice('node').then(() => true, () => false)) ? (['node'] as const) : [])];

describe('AdamW over all parameters at once', () => {
  it.each(devices)('computes what the per-parameter update computed, to the bit (%s)', async (device) => {
    const tf = await useDevice(device);
    const w0 = [0.5, -1.25, 2, 0.001, -0.3, 7], b0 = [0.1, -0.2], u0 = [3];
    const params = new Map<string, Variable>([['w', tf.variable(tf.tensor2d(w0, [2, 3]))], ['b', tf.variable(tf.tensor1d(b0))], ['unused', tf.variable(tf.tensor1d(u0))]]);
    const gw = [[0.3, -0.1, 1e-6, 2, -4, 0.5], [0.2, 0.2, -3e-7, -1, 4, 0.25], [-0.5, 0.01, 0, 1.5, -2, 1]];
    const gb = [[1, -1], [0.5, 2], [-0.25, 0]];
    const lrs = [1e-3, 7e-4, 3e-4];
    const copy = () => new Map([...params].map(([k, p]) => [k, tf.variable(p.clone())]));
    const [mine, theirs] = [copy(), copy()];
    const [opt, old] = [adamW(tf, mine, { weightDecay: 0.05 }), perParameter(tf, theirs, 0.05)];
    for (let s = 0; s < lrs.length; s++) {
      const grads = new Map<string, Tensor>([['w', tf.tensor2d(gw[s], [2, 3])], ['b', tf.tensor1d(gb[s])]]);
      opt.step(grads, lrs[s]);
      old(grads, lrs[s]);
      grads.forEach((g) => g.dispose());
    }
    for (const k of ['w', 'b']) expect(Array.from(mine.get(k)!.dataSync()), k).toEqual(Array.from(theirs.get(k)!.dataSync()));
    expect(Array.from(mine.get('w')!.dataSync())).not.toEqual(w0);
    expect(mine.get('w')!.shape).toEqual([2, 3]);
    // without a gradient: only its (irrelevant) decay moves it; rank 1, so not even that
    expect(Array.from(mine.get('unused')!.dataSync())).toEqual(u0);
    opt.dispose();
    [params, mine, theirs].forEach((ps) => ps.forEach((p) => p.dispose()));
  });
});
