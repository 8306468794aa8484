/**
 * Every rewrite keeps the logits within 1e-5 of the largest logit of the unrewritten graph, in onnxruntime-node:
 * on the three reference fixtures (their weights and input) and on random-weight models of every family x
 * attention kind, with every norm, running statistic, bias and layer scale perturbed so no fold is a no-op.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel, FAMILIES } from '@mvbench/dsl';
import { PARITY_MODELS, readParityFixture, referenceFile } from '@mvbench/fixtures';
import { countMacs, type Graph } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { fixtureInput } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { loadCheckpoint, readSafetensorsFile } from '@mvbench/weights';
import { optimize, REWRITES } from './index.ts';
import { perturbed } from './testing.ts';
import { fast as fastTranspose } from './transpose.ts';

const runner = createOrtNodeRunner();
const producer = (g: Graph, v: string) => g.nodes.find((n) => n.outputs.includes(v));
afterAll(() => runner.dispose());

async function logits(graph: Graph): Promise<Float32Array> {
  const onnx = toOnnx(graph);
  const tensor = (v: { name: string; shape: readonly number[] }) => ({ name: v.name, shape: [...v.shape], dtype: 'float32' as const });
  const artifact = { id: graph.name, onnx, inputs: graph.inputs.map(tensor), outputs: graph.outputs.map(tensor), ops: [] };
  // optimisations off: the comparison is of our rewrites, not of onnxruntime's
  const p = await runner.prepare(artifact, { threads: 1, graphOptimization: 'disabled' });
  const out = await runner.run(p, { [graph.inputs[0].name]: fixtureInput(graph.inputs[0].shape) });
  await runner.dispose(p);
  return out[graph.outputs[0].name].data;
}

/** max |a - b| relative to max |a| */
const relDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('optimize', () => {
  it.each(PARITY_MODELS)('keeps the logits of %s with its reference weights', async (model) => {
    const fixture = readParityFixture(model);
    const graph = loadCheckpoint(buildModel(model).graph, readSafetensorsFile(referenceFile(`parity/${model}.safetensors`)));
    const opt = optimize(graph);
    // every BatchNorm after a conv is folded; no rewrite adds multiply-accumulates
    expect(opt.nodes.filter((n) => n.op === 'BatchNormalization' && producer(opt, n.inputs[0])?.op === 'Conv')).toEqual([]);
    expect(countMacs(opt)).toBeLessThanOrEqual(countMacs(graph));
    const [plain, fast] = [await logits(graph), await logits(opt)];
    expect(relDiff(plain, fast)).toBeLessThanOrEqual(1e-5);
    const expected = Float32Array.from(fixture.expected.logits);
    expect(relDiff(expected, fast) * fixture.tolerance_hint.max_abs_expected).toBeLessThanOrEqual(fixture.tolerance_hint.pass_abs);
  });

  const grid = FAMILIES.flatMap((f) => (f.attention.length > 1 ? f.attention : ['']).map((a: string) => `${Object.keys(f.variants)[0]}:resolution=64${a && `,attention=${a}`}`));
  grid.push('mobilevit_xxs:patch=B,resolution=128', 'mobilevitv2_050:patch=B,resolution=128,attention=mhsa');

  it.each(grid)('keeps the logits of %s with perturbed random weights', async (spec) => {
    const graph = perturbed(buildModel(spec, { seed: 3 }).graph);
    const [plain, fast] = [await logits(graph), await logits(optimize(graph))];
    expect(relDiff(plain, fast)).toBeLessThanOrEqual(1e-5);
  });

  it.each(PARITY_MODELS.map((m) => `${m}:resolution=64`))('keeps the logits of %s at batch 2', async (spec) => {
    const graph = perturbed(buildModel(spec, { seed: 5, batch: 2 }).graph);
    const [plain, fast] = [await logits(graph), await logits(optimize(graph))];
    expect(relDiff(plain, fast)).toBeLessThanOrEqual(1e-5);
  });

  it('runs every transpose of the references in a fast form, and decides the structure without values', () => {
    for (const model of PARITY_MODELS) {
      const graph = buildModel(model).graph;
      const opt = optimize(graph);
      for (const n of opt.nodes.filter((x) => x.op === 'Transpose'))
        expect(fastTranspose(opt.values.get(n.inputs[0])!.shape, n.attrs.perm as number[]), `${model} ${n.name}`).toBe(true);
      const structure = optimize(graph, { values: false });
      expect(structure.nodes).toEqual(opt.nodes);
      expect(countMacs(structure)).toBe(countMacs(opt));
    }
  });

  it('leaves its input graph untouched and skips rewrites by name', () => {
    const graph = perturbed(buildModel('mobilevitv2_050:resolution=64').graph);
    const before = { nodes: [...graph.nodes], inits: new Map(graph.initializers) };
    const all = optimize(graph);
    expect(graph.nodes).toEqual(before.nodes);
    expect(graph.initializers).toEqual(before.inits);
    expect(optimize(graph, { skip: Object.keys(REWRITES) }).nodes.length).toBe(graph.nodes.length);
    expect(all.nodes.length).toBeLessThan(graph.nodes.length);
    expect(() => optimize(graph, { skip: ['no-such-rewrite'] })).toThrow(/unknown rewrite/);
  });
});
