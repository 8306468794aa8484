import { describe, expect, it } from 'vitest';
import { buildModel } from '@mvbench/dsl';
import { countMacs, countParams } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { fixtureInput } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { artifactOf } from './model-artifact.ts';
import { injectSlowdown } from './inject.ts';

describe('injected slowdown', () => {
  it('adds the requested ops and leaves logits, params and MACs unchanged', async () => {
    const g = buildModel('mobilenetv2_050:resolution=96').graph;
    const slow = injectSlowdown(g, 25);
    expect(slow.nodes.filter((n) => n.name.startsWith('injected_slowdown/Sigmoid'))).toHaveLength(25);
    expect([countParams(slow), countMacs(slow)]).toEqual([countParams(g), countMacs(g)]);
    const runner = createOrtNodeRunner();
    const run = async (graph: typeof g) => {
      const p = await runner.prepare(artifactOf('m', graph, toOnnx(graph)), { threads: 1 });
      return (await runner.run(p, { input: fixtureInput([1, 3, 96, 96]) })).logits.data;
    };
    expect(await run(slow)).toEqual(await run(g));
    await runner.dispose();
    expect(injectSlowdown(g, 0)).toBe(g);
    expect(() => injectSlowdown(g, -1)).toThrow(/whole number/);
  });
});
