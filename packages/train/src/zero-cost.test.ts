/**
 * Zero-cost scores: finite (synflow of swiftformer overflows float32: Infinity) and deterministic for every family,
 * plus one property each. synflow ignores the batch's
 * values; naswot is higher for distinct images than for copies of one image (then K is singular: -Infinity);
 * snip <= max_l ||w_l|| * grad_norm (Cauchy-Schwarz per layer); grad_norm and snip depend on the batch.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '@mvbench/dsl';
import { mulberry32 } from '@mvbench/core';
import { materialize, type Graph } from '@mvbench/ir';
import type { Batch } from './train.ts';
import { activationInputs, gradNorm, layerWeights, naswot, slogdet, snip, synflow } from './zero-cost.ts';

function batchOf(graph: Graph, seed: number): Batch {
  const [n, , r] = graph.inputs[0].shape;
  const rand = mulberry32(seed);
  return {
    input: Float32Array.from({ length: n * 3 * r * r }, () => rand() * 2 - 1),
    labels: Int32Array.from({ length: n }, () => Math.floor(rand() * 10)),
  };
}

const SPECS = ['mobilevit_xxs:resolution=64', 'mobilevitv2_050:resolution=64', 'swiftformer_xs:resolution=64', 'mobilenetv2_050:resolution=64'];

describe('zero-cost scores', () => {
  it.each(SPECS)('%s: every score is finite and deterministic', async (spec) => {
    const graph = buildModel(spec, { batch: 8, classes: 10 }).graph;
    const batch = batchOf(graph, 1);
    for (const score of [synflow, gradNorm, snip, naswot]) {
      const [a, b] = [await score(graph, batch), await score(graph, batch)];
      // synflow of swiftformer overflows float32 (see zero-cost.ts): Infinity, still deterministic
      if (score === synflow && spec.startsWith('swiftformer')) expect(a).toBe(Infinity);
      else expect(Number.isFinite(a), `${score.name} = ${a}`).toBe(true);
      expect(b).toBe(a);
    }
    expect(activationInputs(graph).length).toBeGreaterThan(5);
  });

  it('synflow ignores the data; grad_norm and snip do not', async () => {
    const graph = buildModel('mobilevit_xxs:resolution=64', { batch: 4, classes: 10 }).graph;
    const [x, y] = [batchOf(graph, 1), batchOf(graph, 2)];
    expect(await synflow(graph, x)).toBe(await synflow(graph, y));
    expect(await synflow(graph, x)).toBeGreaterThan(0);
    expect(await gradNorm(graph, x)).not.toBe(await gradNorm(graph, y));
    expect(await snip(graph, x)).not.toBe(await snip(graph, y));
  });

  it('snip <= max layer weight norm x grad_norm', async () => {
    const graph = buildModel('mobilenetv2_050:resolution=64', { batch: 4, classes: 10 }).graph;
    const batch = batchOf(graph, 3);
    const norms = layerWeights(graph).map((n) => Math.sqrt((materialize(graph.initializers.get(n)!, graph.seed) as Float32Array).reduce((a, v) => a + v * v, 0)));
    const [s, g] = [await snip(graph, batch), await gradNorm(graph, batch)];
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThanOrEqual(Math.max(...norms) * g * (1 + 1e-5));
  });

  it('naswot is higher for distinct images than for copies of one image', async () => {
    const graph = buildModel('swiftformer_xs:resolution=64', { batch: 8, classes: 10 }).graph;
    const distinct = batchOf(graph, 4);
    const one = distinct.input.subarray(0, distinct.input.length / 8);
    const same = { input: Float32Array.from({ length: distinct.input.length }, (_, i) => one[i % one.length]), labels: distinct.labels };
    const [d, s] = [await naswot(graph, distinct), await naswot(graph, same)];
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBeGreaterThan(s);
  });

  it('slogdet', () => {
    expect(slogdet(Float64Array.from([2, 0, 0, 3]), 2)).toBeCloseTo(Math.log(6));
    expect(slogdet(Float64Array.from([0, 2, 3, 0]), 2)).toBeCloseTo(Math.log(6));
    expect(slogdet(Float64Array.from([1, 2, 2, 4]), 2)).toBe(-Infinity);
  });
});
