/**
 * Training speed of @mvbench/train on tfjs-backend-wasm (one thread) and, when `pnpm setup:tfjs-node` has built it,
 * on TensorFlow's C library through tfjs-node (its intra-op pool from TF_NUM_INTRAOP_THREADS, default 1 here; said
 * absent otherwise): images/s of a full step (forward, backward, AdamW) at 64x64, batch 32, 10 classes, one model per
 * family; median and spread over the steps after warm-up.
 * Then the convolution-gradient options that decided custom-grads.ts (per layer form, batch 32), and a probe of data
 * parallelism: two worker threads (one wasm instance each) at batch 16 against one thread at batch 32.
 *   pnpm tsx benchmarks/train/speed.ts [--steps 10] [--no-probe]
 * Prints markdown tables and writes results/benchmarks/train-speed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildModel } from '@mvbench/dsl';
import { mulberry32 } from '@mvbench/core';
import { conv2d, train, useDevice, type Batch, type Device, type TF } from '@mvbench/train';
import { argNum } from '../args.ts';

type Tensor = ReturnType<TF['tensor']>;
type Tensor4D = ReturnType<TF['tensor4d']>;

const arg = (name: string, d: number) => argNum(name, d, { integer: true, min: 1 });
const STEPS = arg('--steps', 10), WARMUP = 3;
const MODELS = ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050'];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

function batches(n: number, count: number, seed = 1): Batch[] {
  const r = mulberry32(seed);
  return Array.from({ length: count }, () => ({
    input: Float32Array.from({ length: n * 3 * 64 * 64 }, () => r() * 2 - 1),
    labels: Int32Array.from({ length: n }, () => Math.floor(r() * 10)),
  }));
}

/** per-step images/s after WARMUP steps */
async function stepSpeeds(id: string, batch: number, steps: number, device: Device = 'wasm'): Promise<number[]> {
  const graph = buildModel(`${id}:resolution=64`, { batch, classes: 10 }).graph;
  const speeds: number[] = [];
  const t = await train(graph, batches(batch, WARMUP + steps), { lr: 1e-3, device, onProgress: (step, _, ips) => step > WARMUP && speeds.push(ips) });
  t.executor.dispose();
  return speeds;
}

if (!isMainThread) {
  const { id, batch, steps } = workerData as { id: string; batch: number; steps: number };
  const start = performance.now();
  const speeds = await stepSpeeds(id, batch, steps);
  parentPort!.postMessage({ speeds, seconds: (performance.now() - start) / 1000 });
} else {
  await main();
}

async function main() {
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  const tfjsNode = await useDevice('node').then(() => undefined, (e: Error) => e.message);
  const devices: Device[] = tfjsNode ? ['wasm'] : ['wasm', 'node'];
  const models = [];
  for (const device of devices)
    for (const id of MODELS) {
      const s = await stepSpeeds(id, 32, STEPS, device);
      models.push({ model: `${id}:resolution=64`, device, batch: 32, median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9), steps: s.length });
    }
  const nodeThreads = `tfjs-node ${process.env.TF_NUM_INTRAOP_THREADS} intra-op thread(s)`;
  console.log(`\n## Training images/s, tfjs wasm (1 thread) and ${nodeThreads}, batch 32, 64x64 (${STEPS} steps after ${WARMUP} warm-up)\n`);
  if (tfjsNode) console.log(`tfjs-node: ABSENT, not measured (${tfjsNode})\n`);
  console.log('| model | backend | median img/s | p10 | p90 | ms/step |\n|---|---|---|---|---|---|');
  for (const m of models) console.log(`| ${m.model} | ${m.device} | ${m.median.toFixed(1)} | ${m.p10.toFixed(1)} | ${m.p90.toFixed(1)} | ${(32000 / m.median).toFixed(0)} |`);

  const convs = await convOptions(await useDevice('wasm'));
  console.log('\n## Conv backward options on wasm, batch 32 (median ms)\n');
  console.log('| layer | forward | chosen backward (dx + dW) | alternative dx | alternative dW | alternative |\n|---|---|---|---|---|---|');
  for (const c of convs) console.log(`| ${c.layer} | ${c.forward.toFixed(1)} | ${c.chosen.toFixed(1)} | ${c.altDx.toFixed(1)} | ${c.altDw.toFixed(1)} | ${c.alt} |`);

  let probe;
  if (!process.argv.includes('--no-probe')) {
    const id = 'mobilevit_xxs';
    const one = models[0].median;
    const runs = await Promise.all([0, 1].map(() => new Promise<{ speeds: number[] }>((resolve, reject) => {
      // a worker runs this file too, through tsx's loader registered in its own thread
      const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
      const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: { id, batch: 16, steps: STEPS } });
      w.once('message', resolve);
      w.once('error', reject);
    })));
    const both = runs.map((r) => quantile(r.speeds, 0.5));
    probe = { model: id, oneThreadBatch32: one, workersBatch16: both, sum: both[0] + both[1], cores: cpus().length };
    console.log(`\n## Data parallelism probe (${id}, ${cpus().length} cores)\n`);
    console.log(`one thread, batch 32: ${one.toFixed(1)} img/s; two workers at batch 16 each: ${both.map((b) => b.toFixed(1)).join(' + ')} = ` +
      `${probe.sum.toFixed(1)} img/s (${(probe.sum / one).toFixed(2)}x, before gradient exchange)`);
  }
  const out = fileURLToPath(new URL('../../results/benchmarks/', import.meta.url));
  mkdirSync(out, { recursive: true });
  const env = { node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, date: new Date().toISOString(), tfjsNode: tfjsNode ? `absent: ${tfjsNode}` : nodeThreads };
  writeFileSync(`${out}train-speed.json`, JSON.stringify({ env, models, convs, probe }, null, 2) + '\n');
  console.log('\nwrote results/benchmarks/train-speed.json');
}

/** median ms of fn over 7 runs after 2, data read back */
function time(tf: TF, fn: () => Tensor | Tensor[]): number {
  const run = () => {
    const t = performance.now();
    tf.tidy(() => [fn()].flat().forEach((y) => y.dataSync()));
    return performance.now() - t;
  };
  run(), run();
  return quantile(Array.from({ length: 7 }, run), 0.5);
}

/**
 * The chosen backward pass (custom-grads.ts: flipped conv over the dilated dy; dW as a conv with batch and channels
 * swapped, 1x1 as one matMul) against what tfjs' own gradients would do on wasm: conv2dTranspose (Conv2DBackpropInput)
 * for dx, and for dW, missing on wasm, the im2col route (k*k strided slices -> concat -> matMul with transposeA).
 */
async function convOptions(tf: TF) {
  const forms: [string, number, number, number, number, number, boolean][] = [
    ['1x1 64->32 @32x32', 32, 64, 32, 1, 1, false],
    ['3x3 s2 3->16 @64x64 (stem)', 64, 3, 16, 3, 2, false],
    ['3x3 s1 48->48 @16x16', 16, 48, 48, 3, 1, false],
    ['dw3x3 s1 64 @32x32', 32, 64, 64, 3, 1, true],
    ['dw3x3 s2 64 @32x32', 32, 64, 64, 3, 2, true],
  ];
  const rows = [];
  for (const [layer, h, c, o, k, s, dw] of forms) {
    const p = (k - 1) / 2;
    const x = tf.randomNormal([32, h, h, c], 0, 1, 'float32', 1) as Tensor4D;
    const f = tf.randomNormal([k, k, c, dw ? 1 : o], 0, 1, 'float32', 2) as Tensor4D;
    const fwd = () => (dw ? tf.depthwiseConv2d(x, f, s, p) : tf.conv2d(x, f, s, p));
    const dy = tf.randomNormal(fwd().shape, 0, 1, 'float32', 3) as Tensor4D;
    const spec = { kernel: [k, k] as [number, number], strides: [s, s] as [number, number], pads: [p, p] as [number, number], depthwise: dw, mode: 'fast' as const };
    const op = conv2d(tf, spec);
    const forward = time(tf, fwd);
    // tf.grads runs the forward too
    const chosen = time(tf, () => tf.grads((a: Tensor, b: Tensor) => op(a as Tensor4D, b as Tensor4D))([x, f], dy)) - forward;
    const [oh, ow] = [dy.shape[1], dy.shape[2]];
    const taps = () => {
      const xp = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
      const out: Tensor[] = [];
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out.push(tf.stridedSlice(xp, [0, i, j, 0], [32, i + s * (oh - 1) + 1, j + s * (ow - 1) + 1, c], [1, s, s, 1]));
      return out;
    };
    // wasm has no depthwise backprop-input kernel: the alternative dx of a depthwise conv is ours
    const altDx = dw ? NaN : time(tf, () => tf.conv2dTranspose(dy, f, x.shape, s, p));
    const altDw = dw
      ? time(tf, () => tf.stack(taps().map((t) => tf.sum(tf.reshape(tf.mul(t, dy), [-1, c]), 0))))
      : time(tf, () => tf.matMul(tf.reshape(tf.concat(taps(), 3), [-1, k * k * c]), tf.reshape(dy, [-1, o]), true, false));
    rows.push({
      layer, forward, chosen, altDx, altDw,
      alt: dw ? 'dW: k*k strided slices, multiply, sum' : 'dx: conv2dTranspose; dW: im2col (k*k strided slices, concat), matMul(transposeA)',
    });
  }
  return rows;
}
