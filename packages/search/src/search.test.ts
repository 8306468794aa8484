import { buildModel, modelInfo, parseSpec, type ModelInfo } from '@mvbench/dsl';
import { hypervolume, mulberry32 } from '@mvbench/core';
import { defaultSpace, outsideSpace, parseSpace, randomChoice, specOf } from '@mvbench/space';
import { describe, expect, it } from 'vitest';
import { crossover, mutate } from './genome.ts';
import { front, runSearch, type Evaluate, type Method } from './search.ts';

// a real, cheap trade-off of the models themselves: fewer MACs against more parameters (both from the built
// graph), under a limit of 250 M MACs (as a latency limit would be)
const infos = new Map<string, ModelInfo>();
const byModel: Evaluate = async (candidates) =>
  candidates.map((candidate) => {
    if (!infos.has(candidate.spec)) infos.set(candidate.spec, modelInfo(buildModel(parseSpec(candidate.spec))));
    const info = infos.get(candidate.spec)!;
    return { candidate, objectives: [info.macs / 1e6, -info.params / 1e6], violation: Math.max(0, info.macs / 1e6 - 250), complete: true };
  });

const space = parseSpace({ mobilevitv2: { resolution: [160, 256] }, mobilenetv2: { resolution: [160, 256] } }, 'test');
const search = (method: Method, seed: number, maxEvaluations = 48, population = 8) =>
  runSearch({ space, method, seed, population, evaluate: byModel, maxEvaluations });

describe('the search loop', () => {
  it('mutation and crossover stay inside the space and change something', () => {
    const rand = mulberry32(3);
    const full = defaultSpace();
    for (let i = 0; i < 30; i++) {
      const fs = full.families[i % 4];
      const a = randomChoice(fs, rand), b = randomChoice(fs, rand);
      const m = mutate(a, full, rand);
      expect(JSON.stringify(m)).not.toEqual(JSON.stringify(a));
      for (const c of [m, crossover(a, b, rand)]) expect(outsideSpace(specOf(c), full)).toEqual([]);
    }
  });

  it('mutation switches family, keeping the scalar knob values the other family offers', () => {
    const rand = mulberry32(5);
    const two = parseSpace({ mobilevitv2: {}, swiftformer: {} }, 'test');
    const [v2, swift] = two.families;
    let switched = 0;
    for (let i = 0; i < 200; i++) {
      const a = randomChoice(v2, rand);
      const m = mutate(a, two, rand);
      expect(outsideSpace(specOf(m), two)).toEqual([]);
      if (m.family === v2) continue;
      switched++;
      expect(m.family).toBe(swift);
      for (const k of ['resolution', 'ffn', 'expand', 'attention'] as const)
        if (swift.scalar[k]!.includes(a.knobs[k] as string | number)) expect(m.knobs[k]).toEqual(a.knobs[k]);
    }
    // one gene of v2's 1 + 6 + 3 (family; width, patch, attention, resolution, ffn, expand; depth per stage) changes
    // with probability 1/10 each
    expect(switched).toBeGreaterThan(5);
    expect(switched).toBeLessThan(60);
    expect(mutate(randomChoice(v2, rand), parseSpace({ mobilevitv2: {} }, 'test'), rand).family.family.name).toBe('mobilevitv2');
  });

  it('draws again a candidate that is not admissible: no evaluation is spent on it', async () => {
    const small = async (c: { spec: string }) => modelInfo(buildModel(parseSpec(c.spec))).macs < 250e6;
    const redrawn: number[] = [];
    for (const method of ['nsga2', 'random'] as const) {
      const done = await runSearch({ space, method, seed: 4, population: 8, evaluate: byModel, maxEvaluations: 32, admissible: small, onGeneration: (_g, _a, r) => redrawn.push(r) });
      expect(done).toHaveLength(32);
      expect(done.every((e) => e.violation === 0)).toBe(true);
    }
    expect(redrawn.some((r) => r > 0)).toBe(true);
    const never = runSearch({ space, method: 'random', seed: 4, population: 8, evaluate: byModel, admissible: async () => false });
    await expect(never).rejects.toThrow(/found no candidate within the limits \(\d+ buildable ones, all outside them\): raise the limits \(--max-latency, --max-params, --max-macs\)/);
  });

  it('is reproducible for a seed, evaluates each spec once and stops at the evaluation budget', async () => {
    const a = await search('nsga2', 1);
    const specs = a.map((e) => e.candidate.spec);
    expect(specs).toHaveLength(48);
    expect(new Set(specs).size).toBe(48);
    expect((await search('nsga2', 1)).map((e) => e.candidate.spec)).toEqual(specs);
    expect((await search('nsga2', 2)).map((e) => e.candidate.spec)).not.toEqual(specs);
    expect(a.at(-1)!.candidate.generation).toBe(5);
  });

  it('NSGA-II finds a better front than random search at the same budget and seeds', async () => {
    const hv = (es: Awaited<ReturnType<typeof search>>) => hypervolume(front(es).map((e) => e.objectives), [250, 0]);
    for (const seed of [0, 1, 2]) expect(hv(await search('nsga2', seed, 160, 16))).toBeGreaterThan(hv(await search('random', seed, 160, 16)));
  });

  it('stops when the evaluator returns fewer than it was given (the budget ran out)', async () => {
    let calls = 0;
    const short: Evaluate = async (c, g) => (calls++, (await byModel(c, g)).slice(0, g === 1 ? 3 : undefined));
    const done = await runSearch({ space, method: 'nsga2', seed: 0, population: 4, evaluate: short });
    expect(calls).toBe(2);
    expect(done).toHaveLength(7);
    let generations = 0;
    const none: Evaluate = async (c, g) => (g === 2 ? [] : byModel(c, g));
    expect(await runSearch({ space, method: 'nsga2', seed: 0, population: 4, evaluate: none, onGeneration: () => generations++ })).toHaveLength(8);
    expect(generations).toBe(2);
  });
});
