/**
 * Training on generated data (the class is the orientation of a sine grating of period 6 px, random phase, under noise;
 * 4 classes, chance 25%): held-out top-1 reaches >= 60% after two short epochs for two families; two runs with one
 * seed give identical losses; evaluate() counts a padded last batch correctly; the learning-rate schedule.
 * (Speed is the business of benchmarks/train/speed.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '@mvbench/dsl';
import { mulberry32 } from '@mvbench/core';
import type { Executor } from './executor.ts';
import { disposeOrt, maxAbs, maxDiff, ortLogits } from './testing.ts';
import { evaluate, learningRate, recalibrate, train, trainedGraph, type Batch } from './train.ts';

async function logits(ex: Executor, input: Float32Array): Promise<Float32Array> {
  const { tf } = ex;
  const y = tf.tidy(() => ex.forward(tf.tensor(input, [...ex.graph.inputs[0].shape]), { training: false }).logits);
  const data = y.dataSync() as Float32Array;
  y.dispose();
  return data;
}

/** `count` batches of `n` images [3, r, r]: noise plus a grating at label * 45 degrees */
function gratings(count: number, n: number, r: number, seed: number): Batch[] {
  const rand = mulberry32(seed);
  const noise = () => (rand() + rand() + rand() - 1.5) * 0.6 * 2;
  return Array.from({ length: count }, () => {
    const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * 4));
    const [cos, sin] = [Math.cos, Math.sin].map((f) => Array.from(labels, (l) => f((l * Math.PI) / 4)));
    const phase = Array.from(labels, () => rand() * 2 * Math.PI);
    const input = new Float32Array(n * 3 * r * r);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < r; y++)
          for (let x = 0; x < r; x++) {
            input[((i * 3 + c) * r + y) * r + x] = noise() + Math.sin((x * cos[i] + y * sin[i]) * (Math.PI / 3) + phase[i]);
          }
    return { input, labels };
  });
}

afterAll(disposeOrt);

describe('train', () => {
  it.each([
    ['mobilevit_xxs', 64, 24],
    ['swiftformer_xs', 32, 12],
  ] as const)('%s at %i px learns held-out data well above chance', async (id, r, batches) => {
    const graph = buildModel(`${id}:resolution=${r}`, { batch: 16, classes: 4 }).graph;
    const data = gratings(batches, 16, r, 1);
    const trained = await train(graph, data, { epochs: 2, lr: 2e-3, warmupSteps: 4, seed: 1 });
    const held = await evaluate(trained, gratings(4, 16, r, 2));
    // eval mode after training (moved running statistics) still equals onnxruntime on the trained weights
    const tuned = trainedGraph(trained);
    const [ort, mine] = [await ortLogits(tuned, data[0].input), await logits(trained.executor, data[0].input)];
    expect(maxDiff(mine, ort) / maxAbs(ort)).toBeLessThanOrEqual(1e-4);
    trained.executor.dispose();
    expect(trained.epochs.map((e) => e.steps)).toEqual([batches, batches]);
    expect(trained.epochs[1].loss).toBeLessThan(trained.epochs[0].loss);
    expect(held.count).toBe(64);
    expect(held.top1 / held.count, 'held-out top-1').toBeGreaterThanOrEqual(0.6);
    expect(held.top5).toBe(64); // 4 classes: always in the top 5
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const graph = buildModel('mobilenetv2_050:resolution=32', { batch: 8, classes: 4 }).graph;
    const data = gratings(3, 8, 32, 3);
    const losses = async (seed: number) => {
      const out: number[] = [];
      const t = await train(graph, () => data, { epochs: 1, seed, lr: 1e-3, onProgress: (_, loss) => out.push(loss) });
      t.executor.dispose();
      return out;
    };
    const [a, b, c] = [await losses(5), await losses(5), await losses(6)];
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('evaluates a padded last batch and rejects a training batch of the wrong size', async () => {
    const graph = buildModel('mobilenetv2_050:resolution=32', { batch: 8, classes: 4 }).graph;
    const [full] = gratings(1, 8, 32, 4);
    const part = { input: full.input.slice(0, 5 * 3 * 32 * 32), labels: full.labels.slice(0, 5) };
    const [a, b] = [await evaluate(graph, [full]), await evaluate(graph, [part])];
    expect(a.count).toBe(8);
    expect(b.count).toBe(5);
    await expect(train(graph, [part])).rejects.toThrow(/static batch size/);
  });

  it('recalibrates BatchNorm: each running statistic becomes the average of the batches\' statistics', async () => {
    const graph = buildModel('mobilenetv2_050:resolution=32', { batch: 8, classes: 4 }).graph;
    const trained = await train(graph, gratings(3, 8, 32, 5), { epochs: 1, lr: 1e-3, seed: 2 });
    const ex = trained.executor;
    const [b1, b2] = gratings(2, 8, 32, 6);
    const buffers = () => new Map([...ex.buffers].map(([name, v]) => [name, v.dataSync() as Float32Array]));
    const moved = buffers();
    // training mode normalises every layer by its batch's own statistics, so a batch's statistics do not depend on
    // the running buffers, and the buffers after [b1, b2] are exactly the mean of those after [b1] and after [b2]
    expect(await recalibrate(trained, [b1])).toBe(1);
    const one = buffers();
    await recalibrate(trained, [b2]);
    const two = buffers();
    await recalibrate(trained, [b1, b2]);
    const both = buffers();
    ex.dispose();
    expect(moved.size).toBeGreaterThan(10);
    for (const [name, avg] of both) {
      const mean = one.get(name)!.map((v, i) => (v + two.get(name)![i]) / 2);
      expect(maxDiff(avg, mean) / Math.max(maxAbs(mean), 1e-6), name).toBeLessThan(1e-4);
    }
    expect([...moved].some(([name, v]) => maxDiff(v, one.get(name)!) > 1e-3), 'recalibration changed the running statistics').toBe(true);
  });

  it('warms up linearly, then follows half a cosine to zero', () => {
    expect(learningRate(0, 1, 4, 20)).toBeCloseTo(0.2);
    expect(learningRate(4, 1, 4, 20)).toBeCloseTo(1);
    expect(learningRate(12, 1, 4, 20)).toBeCloseTo(0.5);
    expect(learningRate(20, 1, 4, 20)).toBeCloseTo(0);
    expect(learningRate(50, 1, 4, undefined)).toBe(1);
  });
});
