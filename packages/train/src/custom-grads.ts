/**
 * Convolution, matrix product and training-mode BatchNorm with gradients written for tfjs-backend-wasm, which lacks
 * Conv2DBackpropFilter and both depthwise backprop kernels, runs Conv2DBackpropInput ~10x slower than a conv, runs
 * matMul with transpose flags (what tfjs' own gradients use) ~10x slower than on pre-transposed operands, and sums
 * [P, C] over P through a transpose that takes ~40 ms for [8192, 192] (a matMul by a row of ones: 0.15 ms). Every
 * backward pass below uses only fast forward kernels (benchmarks/train/speed.ts measures the alternatives), in NHWC,
 * filters in tfjs layout [kh, kw, C, O]:
 *
 *   dx       conv (depthwise conv) of dy, zero-dilated by the stride, with the spatially flipped filter
 *   dW       conv with batch and channels swapped: x^T [C, H, W, N] * dy^T [OH, OW, N, O], dilation = stride;
 *            1x1 stride 1: one matMul, transposing the narrower of x and dy; depthwise: N folded into channels,
 *            [1, H, W, N*C] * [OH, OW, N*C, 1]
 *   matMul   dA = dy B^T, dB = A^T dy with explicit transposes
 *   BN       the closed-form gradient, per-channel sums as matMuls by ones
 *
 * The gradient functions run outside the tape, so they may use ops without gradients of their own.
 */
import type { ConvSpec as EngineConv, Gradients } from '@mvbench/tfjs-engine';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { TF } from './tf.ts';

export interface ConvSpec extends EngineConv {
  /** 'native': tfjs' own ops and autodiff (the cpu reference; wasm lacks the kernels) */
  mode: 'fast' | 'native';
}

/** what the tfjs engine's Conv, MatMul, Gemm and BatchNormalization use when training ('native': tfjs' own conv and BN) */
export function gradients(tf: TF, mode: ConvSpec['mode']): Gradients {
  return {
    conv2d: (s) => conv2d(tf, { ...s, mode }),
    matMul: matMul(tf),
    batchNorm: mode === 'fast' ? (eps, update) => batchNorm(tf, eps, update) : undefined,
  };
}

/** sum over every axis but the last: [..., C] -> [C] */
function channelSum(tf: TF, x: Tensor): Tensor {
  const c = x.shape.at(-1)!, p = x.size / c;
  return tf.reshape(tf.matMul(tf.ones([1, p]), tf.reshape(x, [p, c]) as Tensor2D), [c]);
}

/** dy [N, OH, OW, C] with s - 1 zeros after every row and column: [N, OH*s, OW*s, C] */
function dilate(tf: TF, dy: Tensor4D, [sh, sw]: [number, number]): Tensor4D {
  const [n, h, w, c] = dy.shape;
  let t: Tensor = dy;
  if (sw > 1) t = tf.pad(tf.reshape(t, [n * h * w, 1, c]), [[0, 0], [0, sw - 1], [0, 0]]);
  if (sh > 1) t = tf.pad(tf.reshape(t, [n * h, 1, w * sw * c]), [[0, 0], [0, sh - 1], [0, 0]]);
  return tf.reshape(t, [n, h * sh, w * sw, c]);
}

/** pads (negative: crops) the two spatial axes by [before, after] each */
function padSpatial(tf: TF, x: Tensor4D, [t, b]: number[], [l, r]: number[]): Tensor4D {
  const p = tf.pad(x, [[0, 0], [Math.max(t, 0), Math.max(b, 0)], [Math.max(l, 0), Math.max(r, 0)], [0, 0]]);
  if (Math.min(t, b, l, r) >= 0) return p;
  const [h, w] = [p.shape[1] - Math.max(-t, 0) - Math.max(-b, 0), p.shape[2] - Math.max(-l, 0) - Math.max(-r, 0)];
  return tf.slice(p, [0, Math.max(-t, 0), Math.max(-l, 0), 0], [-1, h, w, -1]);
}

function backward(tf: TF, s: ConvSpec, x: Tensor4D, f: Tensor4D, dy: Tensor4D): [Tensor4D, Tensor4D] {
  const [[kh, kw], [sh, sw], [ph, pw]] = [s.kernel, s.strides, s.pads];
  const [n, h, w, c] = x.shape, [, oh, ow, o] = dy.shape;
  // dx: the rows of x each output row read, as a stride-1 valid conv over the dilated dy
  const flipped = kh * kw === 1 ? f : tf.reverse(f, [0, 1]);
  const d = padSpatial(tf, dilate(tf, dy, [sh, sw]), [kh - 1 - ph, h + ph - oh * sh], [kw - 1 - pw, w + pw - ow * sw]);
  const dx = s.depthwise ? tf.depthwiseConv2d(d, flipped, 1, 'valid') : tf.conv2d(d, tf.transpose(flipped, [0, 1, 3, 2]), 1, 'valid');
  // dW: only the rows and columns some output reads
  const used = padSpatial(tf, x, [ph, (oh - 1) * sh + kh - h - ph], [pw, (ow - 1) * sw + kw - w - pw]);
  const [uh, uw] = [used.shape[1], used.shape[2]];
  let df: Tensor4D;
  if (s.depthwise) {
    const xs = tf.reshape(tf.transpose(used, [1, 2, 0, 3]), [1, uh, uw, n * c]) as Tensor4D;
    const ds = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, 1]) as Tensor4D;
    const per = tf.depthwiseConv2d(xs, ds, 1, 'valid', 'NHWC', [sh, sw]); // [1, kh, kw, N*C]
    df = tf.reshape(tf.sum(tf.reshape(per, [kh * kw, n, c]), 1), [kh, kw, c, 1]);
  } else if (kh * kw * sh * sw === 1 && ph + pw === 0) {
    const [x2, d2] = [tf.reshape(x, [n * h * w, c]) as Tensor2D, tf.reshape(dy, [n * h * w, o]) as Tensor2D];
    const prod = c <= o ? tf.matMul(tf.transpose(x2), d2) : tf.transpose(tf.matMul(tf.transpose(d2), x2));
    df = tf.reshape(prod, [1, 1, c, o]);
  } else {
    const xs = tf.transpose(used, [3, 1, 2, 0]) as Tensor4D; // [C, H, W, N]
    const ds = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D; // [OH, OW, N, O]
    df = tf.transpose(tf.conv2d(xs, ds, 1, 'valid', 'NHWC', [sh, sw]), [1, 2, 0, 3]); // [C, kh, kw, O] -> [kh, kw, C, O]
  }
  return [dx as Tensor4D, df];
}

/** y = conv(x, f) (+ b) in NHWC; f [kh, kw, C, O] (depthwise [kh, kw, C, 1]), b [O] */
export function conv2d(tf: TF, s: ConvSpec): (x: Tensor4D, f: Tensor4D, b?: Tensor) => Tensor4D {
  const [ph, pw] = s.pads;
  // tfjs-node's TensorFlow kernels take 'valid' and 'same' only: there x is padded first
  const padFirst = tf.getBackend() === 'tensorflow' && ph + pw > 0;
  const pad = padFirst ? 'valid' : ph === pw ? ph : ([[0, 0], [ph, ph], [pw, pw], [0, 0]] as [number, number][]);
  const forward = (x0: Tensor4D, f: Tensor4D) => {
    const x = padFirst ? padSpatial(tf, x0, [ph, ph], [pw, pw]) : x0;
    return s.depthwise ? tf.depthwiseConv2d(x, f, s.strides, pad as number) : tf.conv2d(x, f, s.strides, pad as number);
  };
  if (s.mode === 'native') return (x, f, b) => (b ? tf.add(forward(x, f), b) : forward(x, f));
  const withBias = tf.customGrad(((x: Tensor4D, f: Tensor4D, b: Tensor, save: (ts: Tensor[]) => void) => {
    save([x, f]);
    return {
      value: tf.add(forward(x, f), b),
      gradFunc: (dy: Tensor4D, [xs, fs]: Tensor[]) => [...backward(tf, s, xs as Tensor4D, fs as Tensor4D, dy), channelSum(tf, dy)],
    };
  }) as never) as (x: Tensor, f: Tensor, b: Tensor) => Tensor4D;
  const plain = tf.customGrad(((x: Tensor4D, f: Tensor4D, save: (ts: Tensor[]) => void) => {
    save([x, f]);
    return { value: forward(x, f), gradFunc: (dy: Tensor4D, [xs, fs]: Tensor[]) => backward(tf, s, xs as Tensor4D, fs as Tensor4D, dy) };
  }) as never) as (x: Tensor, f: Tensor) => Tensor4D;
  return (x, f, b) => (b ? withBias(x, f, b) : plain(x, f));
}

/**
 * Training-mode BatchNorm over every axis but the last (channels): y = (x - mean) / sqrt(var + eps) * gamma + beta
 * with the batch's statistics; `update` receives them (mean, biased variance) for the running buffers.
 */
export function batchNorm(tf: TF, eps: number, update: (mean: Tensor, variance: Tensor) => void): (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor {
  return tf.customGrad(((x: Tensor, gamma: Tensor, beta: Tensor, save: (ts: Tensor[]) => void) => {
    const p = x.size / x.shape.at(-1)!;
    const mean = tf.div(channelSum(tf, x), p);
    const d = tf.sub(x, mean);
    const variance = tf.div(channelSum(tf, tf.square(d)), p);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(d, inv);
    update(mean, variance);
    save([xhat, inv, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: Tensor, [xh, iv, g]: Tensor[]) => {
        const [dbeta, dgamma] = [channelSum(tf, dy), channelSum(tf, tf.mul(dy, xh))];
        // dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat))
        const centred = tf.sub(tf.sub(dy, tf.div(dbeta, p)), tf.mul(xh, tf.div(dgamma, p)));
        return [tf.mul(centred, tf.mul(g, iv)), dgamma, dbeta];
      },
    };
  }) as never) as (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor;
}

/** a @ b over the last two axes (equal batch axes), gradients with explicit transposes */
export function matMul(tf: TF): (a: Tensor, b: Tensor) => Tensor {
  const t = (x: Tensor) => {
    const perm = x.shape.map((_, i) => i);
    perm.push(...perm.splice(-2).reverse());
    return tf.transpose(x, perm);
  };
  const op = tf.customGrad(((a: Tensor, b: Tensor, save: (ts: Tensor[]) => void) => {
    save([a, b]);
    return {
      value: tf.matMul(a as Tensor2D, b as Tensor2D),
      gradFunc: (dy: Tensor, [as, bs]: Tensor[]) => [tf.matMul(dy as Tensor2D, t(bs) as Tensor2D), tf.matMul(t(as) as Tensor2D, dy as Tensor2D)],
    };
  }) as never) as (a: Tensor, b: Tensor) => Tensor;
  return op;
}
