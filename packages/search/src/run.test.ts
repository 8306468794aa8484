import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, modelInfo, type ModelSpec } from '@mvbench/dsl';
import { readRows } from '@mvbench/results';
import { parseSpace } from '@mvbench/space';
import { afterAll, describe, expect, it } from 'vitest';
import { ANCHOR_GENERATION } from './anchors.ts';
import { runArchitectureSearch, type SearchSettings } from './run.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-search-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// the pipeline, not the numbers: the null runner's latency and a proxy training on 16 synthetic images at 32 px
const settings = (o: Partial<SearchSettings> = {}): SearchSettings => ({
  space: parseSpace({ mobilenetv2: { width: [0.5, 0.75], resolution: [160], expand: [3, 4] } }, 'test'),
  method: 'nsga2', seed: 0, population: 2, objectives: ['latency', 'accuracy'], constraints: {}, runner: 'null', threads: 1,
  proxy: { data: 'synthetic', fidelities: [{ resolution: 32, epochs: 1, trainImages: 16, batch: 8 }, { resolution: 32, epochs: 1, trainImages: 32, batch: 8 }], testImages: 16, seed: 0, timeoutS: 120 },
  measureBudgetMs: 100, budgetMs: 10 * 60_000, workers: 2, anchors: [], ...o,
});
const quiet = { log: () => {}, interrupted: () => {} };

describe('mvbench search, end to end', () => {
  it('appends one row per evaluation; --resume replays them and evaluates only what is new', async () => {
    const out = join(dir, 'search.jsonl');
    const first = await runArchitectureSearch(settings({ maxEvaluations: 2 }), out, false, quiet);
    const rows = readRows(out).rows;
    // generation 0: two candidates at fidelity 0, the better one also at fidelity 1
    expect(rows.map((r) => r.search?.fidelity)).toEqual([0, 0, 1]);
    expect(first.newRows).toBe(3);
    for (const r of rows) {
      expect(r.sweep).toBe(first.run);
      expect(r.accuracy.kind).toBe('proxy');
      expect(r.accuracy.value).not.toBeNull();
      expect(r.search?.measuredMs).toBe(r.latency?.median);
      expect(r.runner).toBe('null');
    }
    expect(first.front.length).toBeGreaterThan(0);

    const again = await runArchitectureSearch(settings({ maxEvaluations: 3 }), out, true, quiet);
    expect(again.run).toBe(first.run);
    expect(again.resumedRows).toBe(3);
    expect(again.evaluations).toHaveLength(3);
    expect(again.evaluations.slice(0, 2).map((e) => e.candidate.spec)).toEqual(first.evaluations.map((e) => e.candidate.spec));
    const all = readRows(out).rows;
    expect(all.length).toBe(3 + again.newRows);
    expect(new Set(all.map((r) => `${r.spec}#${r.search?.fidelity}`)).size).toBe(all.length);
    expect(all.slice(3).every((r) => r.search?.generation === 1)).toBe(true);
    expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);

    // a search whose budget is spent still replays all it evaluated: nothing lost, nothing trained again
    const spent = await runArchitectureSearch(settings({ maxEvaluations: 3, budgetMs: 1 }), out, true, quiet);
    expect(spent.newRows).toBe(0);
    expect(spent.evaluations.map((e) => e.objectives)).toEqual(again.evaluations.map((e) => e.objectives));
    expect(spent.front.map((e) => e.candidate.spec)).toEqual(again.front.map((e) => e.candidate.spec));
    expect(spent.history.map((h) => h.evaluations)).toEqual([2, 3]);
    // and a larger --max-evaluations on it starts nothing new
    expect((await runArchitectureSearch(settings({ maxEvaluations: 5, budgetMs: 1 }), out, true, quiet)).newRows).toBe(0);
  }, 120_000);

  it('a constraint nothing in the space meets is a user error naming the flag and the smallest value', async () => {
    const err = await runArchitectureSearch(settings({ constraints: { maxParams: 1000 } }), join(dir, 'none.jsonl'), false, quiet).catch((e) => e);
    expect(err.user).toBe(true);
    expect(err.message).toMatch(/no model in the search space meets --max-params: the smallest parameter count is [\d,]+ \(mobilenetv2_050/);
  });

  it('a candidate over a params limit is drawn again; one over a measured latency limit is a row with its violation and no training', async () => {
    // the same seed draws the same first generation as above: the larger of its two models is over the limit
    const first = readRows(join(dir, 'search.jsonl')).rows.slice(0, 2);
    const params = first.map((r) => r.params!).sort((a, b) => a - b);
    const one = { proxy: { ...settings().proxy, fidelities: [settings().proxy.fidelities[0]] } };
    const lines: string[] = [];
    const small = join(dir, 'small.jsonl');
    await runArchitectureSearch(settings({ maxEvaluations: 2, constraints: { maxParams: params[0] }, ...one }), small, false, { ...quiet, log: (l) => lines.push(l) });
    const kept = readRows(small).rows;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => r.params! <= params[0] && r.search?.violations.length === 0 && r.accuracy.kind === 'proxy')).toBe(true);
    expect(lines.some((l) => /drawn outside the limits, drawn again/.test(l))).toBe(true);

    // a real, crude latency: 1 ms per 10 M MACs, the limit between the two models
    const measured = async (spec: ModelSpec) => ({ ms: modelInfo(buildModel(spec)).macs / 1e7 });
    const ms = first.map((r) => r.macs! / 1e7).sort((a, b) => a - b);
    const out = join(dir, 'limited.jsonl');
    await runArchitectureSearch(settings({ maxEvaluations: 2, constraints: { maxLatencyMs: (ms[0] + ms[1]) / 2 }, ...one }), out, false, quiet, { measured });
    const rows = readRows(out).rows;
    expect(rows).toHaveLength(2);
    const over = rows.find((r) => r.macs! / 1e7 > ms[0])!;
    expect(over.search?.fidelity).toBeNull();
    expect(over.search?.violations).toEqual([expect.stringMatching(/^latency [\d.]+ ms > [\d.]+$/)]);
    expect(over.accuracy.kind).toBe('none');
  }, 60_000);

  it('with predicted latency, the front is measured once, and a resumed search measures nothing again', async () => {
    const out = join(dir, 'predicted.jsonl');
    // a crude real predictor: 1 ms per 10 M MACs
    const predicted = async (spec: ModelSpec) => ({ ms: modelInfo(buildModel(spec)).macs / 1e7 });
    const o = settings({ maxEvaluations: 2, predictor: 'macs', proxy: { ...settings().proxy, fidelities: [settings().proxy.fidelities[0]] } });
    const first = await runArchitectureSearch(o, out, false, quiet, { predicted });
    const rows = readRows(out).rows;
    const confirmed = rows.filter((r) => r.search?.measuredMs !== null);
    expect(rows.filter((r) => r.search?.measuredMs === null && r.search?.predictedMs !== null)).toHaveLength(2);
    expect(confirmed.map((r) => r.spec).sort()).toEqual(first.front.map((e) => e.candidate.spec).sort());
    for (const r of confirmed) {
      expect(r.search?.predictedMs).toBeCloseTo(r.macs! / 1e7);
      expect(r.latency?.median).toBe(r.search?.measuredMs);
      expect(r.accuracy.kind).toBe('proxy');
    }
    const again = await runArchitectureSearch(o, out, true, quiet, { predicted });
    expect(again.newRows).toBe(0);
    expect(again.front.map((e) => e.objectives)).toEqual(first.front.map((e) => e.objectives));
  }, 60_000);

  it('a zero-cost filter scores each generation and trains only its better-scoring half', async () => {
    const out = join(dir, 'screened.jsonl');
    const o = settings({ maxEvaluations: 2, zeroCost: 'naswot', proxy: { ...settings().proxy, fidelities: [settings().proxy.fidelities[0]] } });
    const r = await runArchitectureSearch(o, out, false, quiet);
    const rows = readRows(out).rows;
    const scores = rows.filter((x) => x.accuracy.kind === 'zero-cost');
    expect(scores).toHaveLength(2);
    for (const x of scores) expect(x.search?.fidelity).toBeNull();
    const trained = rows.filter((x) => x.accuracy.kind === 'proxy');
    expect(trained).toHaveLength(1);
    const best = scores.reduce((a, b) => (b.accuracy.value! > a.accuracy.value! ? b : a));
    expect(trained[0].spec).toBe(best.spec);
    expect(r.evaluations).toHaveLength(2);
    expect(r.evaluations.filter((e) => e.complete)).toHaveLength(1);
  }, 60_000);

  it('anchors: the canonical model is trained at the last fidelity and measured beside a predicted search, once', async () => {
    const out = join(dir, 'anchored.jsonl');
    const predicted = async (spec: ModelSpec) => ({ ms: modelInfo(buildModel(spec)).macs / 1e7 });
    const o = settings({ maxEvaluations: 2, predictor: 'macs', anchors: ['mobilenetv2_050'] });
    const first = await runArchitectureSearch(o, out, false, quiet, { predicted });
    const anchorRows = readRows(out).rows.filter((r) => r.search?.generation === ANCHOR_GENERATION);
    expect(anchorRows.every((r) => r.spec === 'mobilenetv2_050')).toBe(true);
    // the last of both fidelities only, then its measurement
    expect(anchorRows.map((r) => [r.search?.fidelity, r.search?.measuredMs !== null])).toEqual([[1, false], [1, true]]);
    expect(first.anchors).toHaveLength(1);
    expect(first.anchors[0]).toMatchObject({ complete: true, violation: 0, measured: true });
    expect(first.anchors[0].objectives[0]).toBe(anchorRows[1].search?.measuredMs);
    const again = await runArchitectureSearch(o, out, true, quiet, { predicted });
    expect(again.newRows).toBe(0);
    expect(again.anchors.map((e) => e.objectives)).toEqual(first.anchors.map((e) => e.objectives));
  }, 120_000);

  it('an anchor that is not a canonical model of the space is a user error naming the flag', async () => {
    const err = await runArchitectureSearch(settings({ anchors: ['mobilevit_xxs'] }), join(dir, 'bad.jsonl'), false, quiet).catch((e) => e);
    expect(err.user).toBe(true);
    expect(err.message).toMatch(/--anchors: 'mobilevit_xxs' is not a canonical model of the space's families \(mobilenetv2\)/);
  });

  it('another search in the same file (another runner setting) reuses trainings of the same spec and settings; other settings train again', async () => {
    const out = join(dir, 'search.jsonl');
    const before = readRows(out).rows;
    const earlier = (r: (typeof before)[number]) => before.find((b) => b.spec === r.spec && b.search?.fidelity === r.search?.fidelity && b.accuracy.kind === 'proxy');
    // another measuring time: another search (its own key and run), the same proxy training
    const other = await runArchitectureSearch(settings({ maxEvaluations: 2, measureBudgetMs: 200 }), out, false, quiet);
    const mine = readRows(out).rows.filter((r) => r.sweep === other.run && r.accuracy.kind === 'proxy');
    const found = mine.filter((r) => earlier(r));
    // the same seed draws the same first generation: both of its candidates were trained at fidelity 0 before
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(other.reusedTrainings).toBe(found.length);
    for (const r of found) {
      expect(r.search?.training).toMatch(/^[0-9a-f]{16}$/);
      expect(r.search?.training).toBe(earlier(r)!.search?.training);
      expect(r.accuracy).toEqual(earlier(r)!.accuracy); // its seconds too: taken over, not trained again
    }
    const fresh = await runArchitectureSearch(settings({ maxEvaluations: 2, measureBudgetMs: 300, proxy: { ...settings().proxy, testImages: 8 } }), out, false, quiet);
    expect(fresh.reusedTrainings).toBe(0);
  }, 120_000);
});
