/**
 * Kernels per training step: on tfjs-node nearly every kernel is a call into TensorFlow whose fixed cost (tens of µs)
 * outweighs the arithmetic of a 64 px batch of 16, so their number is what a step costs. Counts one step (after one
 * warm-up step) of each model by kernel name, those of tfjs's backpropagation apart (custom gradients run outside it);
 * Identity (tfjs's saved tensors, which share data and call nothing) is left out. A Cast to the same dtype is counted
 * but shares data on tfjs-node (packages/train/src/tf.ts).
 *   pnpm tsx benchmarks/train/kernels.ts [--device node|wasm] [models...]   (default: the four families' smallest)
 */
import { parseArgs } from 'node:util';
import { buildModel } from '@mvbench/dsl';
import { mulberry32 } from '@mvbench/core';
import { train, useDevice, type Batch } from '@mvbench/train';
import { str, usageError } from '../args.ts';

const { values, positionals } = parseArgs({ options: { device: str('node') }, allowPositionals: true });
const device = (['node', 'wasm'] as const).find((d) => d === values.device) ?? usageError(`--device: '${values.device}'; expected node or wasm`);
const models = positionals.length ? positionals : ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050'];
process.env.TF_NUM_INTRAOP_THREADS ??= '1';
const tf = await useDevice(device);
const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
const run = engine.runKernel.bind(engine);
let counts: Map<string, number> | undefined;
engine.runKernel = (name, ...rest) => {
  if (counts && name !== 'Identity') {
    const backward = new Error().stack!.includes('backpropagateGradients');
    const key = `${name}${backward ? ' (backward)' : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return run(name, ...rest);
};

console.log(`| model | kernels per step (${device}) | in backpropagation | elsewhere (forward, custom gradients, optimizer) | most called |\n|---|---|---|---|---|`);
for (const id of models) {
  const rand = mulberry32(1);
  const batch = (): Batch => ({ input: Float32Array.from({ length: 16 * 3 * 64 * 64 }, () => rand() * 2 - 1), labels: Int32Array.from({ length: 16 }, () => Math.floor(rand() * 10)) });
  const step: Map<string, number> = new Map();
  let steps = 0;
  // onProgress follows each step: count the second one
  const t = await train(buildModel(`${id}:resolution=64`, { batch: 16, classes: 10 }).graph, [batch(), batch(), batch()], { device, onProgress: () => (counts = ++steps === 1 ? step : undefined) });
  t.executor.dispose();
  const sum = (f: (k: string) => boolean) => [...step].filter(([k]) => f(k)).reduce((n, [, v]) => n + v, 0);
  const top = [...step].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`| ${id} | ${sum(() => true)} | ${sum((k) => k.endsWith('(backward)'))} | ${sum((k) => !k.endsWith('(backward)'))} | ${top} |`);
}
