/**
 * AdamW (decoupled weight decay, as PyTorch) over all parameters at once: the gradients and the parameters are
 * concatenated into one vector per step, and the moments live as one vector each. A step is then a few dozen kernels
 * plus a reshape per parameter, where a step per parameter took 15 kernels and 9 scalar tensors for each; every
 * kernel is a call into TensorFlow on tfjs-node, where this was a sixth of a training step. The arithmetic is
 * elementwise and in the same order, so each value is what the per-parameter step computed, to the bit.
 */
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { TF } from './tf.ts';

export interface AdamWOptions {
  /** AdamW decoupled weight decay (default 0.05), not applied to biases and norm parameters (rank <= 1, as timm) */
  weightDecay?: number;
  betas?: [number, number];
}

export interface Optimizer {
  /** one update with these gradients (by parameter name; a parameter without one gets a zero gradient) */
  step(grads: ReadonlyMap<string, Tensor>, lr: number): void;
  dispose(): void;
}

export function adamW(tf: TF, params: ReadonlyMap<string, Variable>, opts: AdamWOptions = {}): Optimizer {
  const [b1, b2] = opts.betas ?? [0.9, 0.999];
  const wd = opts.weightDecay ?? 0.05;
  const list = [...params];
  const sizes = list.map(([, p]) => p.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const m = tf.variable(tf.zeros([total]), false), v = tf.variable(tf.zeros([total]), false);
  const decayed = tf.tensor1d(list.flatMap(([, p]) => Array<boolean>(p.size).fill(p.rank > 1)), 'bool');
  // a reshape is a call into TensorFlow on tfjs-node: rank-1 parameters (biases, norms) need none
  const flat = (x: Tensor) => (x.rank === 1 ? x : tf.reshape(x, [-1]));
  let t = 0;
  return {
    step(grads, lr) {
      t++;
      const [c1, c2] = [1 - b1 ** t, 1 - b2 ** t];
      tf.tidy(() => {
        const g = tf.concat(list.map(([name, p]) => flat(grads.get(name) ?? tf.zerosLike(p))));
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), 1e-8));
        // each parameter's factor as a float32 scalar, as the per-parameter step had it
        const keep = tf.where(decayed, tf.scalar(1 - lr * wd), tf.scalar(1));
        const p = tf.concat(list.map(([, x]) => flat(x)));
        const next = tf.split(tf.sub(tf.mul(p, keep), tf.mul(update, lr)), sizes);
        list.forEach(([, x], i) => x.assign(x.rank === 1 ? next[i] : tf.reshape(next[i], x.shape)));
      });
    },
    dispose: () => [m, v, decayed].forEach((x) => x.dispose()),
  };
}
