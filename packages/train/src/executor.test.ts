/**
 * Every family and attention kind, batch 2, 10 classes, at the smallest resolution that keeps each check meaningful:
 * 32 px for SwiftFormer; 64 px for MobileViT and MobileViTv2 (their last unfold needs a 2x2 map) and MobileNetV2
 * (at 32 px its last stages are 1x1 maps, whose batch-2 BatchNorm statistics of two values amplify float32 rounding):
 * - eval-mode logits on wasm equal onnxruntime-node's for the same graph: max |difference| <= 1e-4 of max |logit|;
 * - training-mode loss and every parameter gradient on wasm (hand-written conv/BN/matMul gradients, NHWC) equal the
 *   cpu backend's with tfjs' own autodiff: loss within 1e-5 relative; each gradient within 2e-3 of the larger of its
 *   own max |value| and 1e-2 of the model's largest gradient (batch-2 BatchNorm amplifies float32 rounding);
 * - BatchNorm running statistics move by momentum 0.1 towards the batch mean and unbiased variance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, FAMILIES, GraphBuilder, batchNorm as bnLayer, conv2d as convLayer } from '@mvbench/dsl';
import type { Graph } from '@mvbench/ir';
import { fixtureInput } from '@mvbench/runner-core';
import { createExecutor, type ExecutorOptions } from './executor.ts';
import { disposeOrt, maxAbs, maxDiff, ortLogits } from './testing.ts';
import { crossEntropy } from './train.ts';

afterAll(disposeOrt);

const SPECS = FAMILIES.flatMap((f) =>
  (f.attention.length > 1 ? f.attention : ['']).map((a: string) => {
    const id = Object.keys(f.variants)[0];
    return `${id}:resolution=${id.startsWith('swiftformer') ? 32 : 64}${a && `,attention=${a}`}`;
  }),
);

/** eval-mode logits (only when asked: the cpu reference's are not compared), training-mode loss and gradients */
async function run(graph: Graph, input: Float32Array, opts: ExecutorOptions, withLogits: boolean) {
  const ex = await createExecutor(graph, opts);
  const { tf } = ex;
  let result: { logits?: Float32Array; loss: number; grads: Map<string, Float32Array> } | undefined;
  tf.tidy(() => {
    const x = tf.tensor(input, [...graph.inputs[0].shape]);
    const logits = withLogits ? (ex.forward(x, { training: false }).logits.dataSync() as Float32Array) : undefined;
    const { loss, grads } = ex.gradients(() => crossEntropy(tf, ex.forward(x, { training: true }).logits, Int32Array.from([3, 7])));
    result = { logits, loss: loss.dataSync()[0], grads: new Map([...grads].map(([k, g]) => [k, g.dataSync() as Float32Array])) };
  });
  ex.dispose();
  return result!;
}

describe('executor', () => {
  it.each(SPECS)('%s: logits match onnxruntime, gradients match cpu autodiff', async (spec) => {
    const graph = buildModel(spec, { batch: 2, classes: 10, seed: 7 }).graph;
    const input = fixtureInput(graph.inputs[0].shape);
    const fast = await run(graph, input, { device: 'wasm' }, true);
    const ref = await run(graph, input, { device: 'cpu', conv: 'native' }, false);
    const ort = await ortLogits(graph, input);
    expect(maxDiff(fast.logits!, ort) / maxAbs(ort)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(fast.loss - ref.loss) / ref.loss).toBeLessThanOrEqual(1e-5);
    const params = [...graph.initializers.values()].filter((i) => i.role === 'param').map((i) => i.name);
    expect([...fast.grads.keys()].sort()).toEqual([...params].sort());
    const top = Math.max(...[...ref.grads.values()].map(maxAbs));
    const worst = [...ref.grads].map(([name, g]) => ({ name, err: maxDiff(fast.grads.get(name)!, g) / Math.max(maxAbs(g), 1e-2 * top) }))
      .sort((a, b) => b.err - a.err)[0];
    if (process.env.MVBENCH_TRAIN_VERBOSE)
      console.log(spec, 'logits', maxDiff(fast.logits!, ort) / maxAbs(ort), 'loss', Math.abs(fast.loss - ref.loss) / ref.loss, 'grad', worst);
    expect(worst.err, worst.name).toBeLessThanOrEqual(2e-3);
  });

  it('BatchNorm running statistics: momentum 0.1 towards the batch mean and unbiased variance', async () => {
    const b = new GraphBuilder('bn', 3);
    const x = b.input('input', [4, 3, 5, 5]);
    const y = b.scope('conv', () => convLayer(b, x, { out: 6, k: 3 }));
    b.output(b.scope('bn', () => bnLayer(b, y)), 'logits');
    const graph = b.finish();
    const ex = await createExecutor(graph, { capture: [y.name] });
    const { tf } = ex;
    const out = tf.tidy(() => ex.forward(tf.tensor(fixtureInput([4, 3, 5, 5]), [4, 3, 5, 5]), { training: true }).captured[0]);
    const conv = out.dataSync() as Float32Array;
    out.dispose();
    const [mean, variance] = ['bn.running_mean', 'bn.running_var'].map((n) => ex.buffers.get(n)!.dataSync());
    for (let c = 0; c < 6; c++) {
      const v = Array.from({ length: 4 * 25 }, (_, i) => conv[Math.floor(i / 25) * 150 + c * 25 + (i % 25)]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const unbiased = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
      expect(mean[c]).toBeCloseTo(0.1 * m, 6);
      expect(variance[c]).toBeCloseTo(0.9 + 0.1 * unbiased, 6);
    }
    ex.dispose();
  });
});
