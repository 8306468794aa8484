/**
 * The search section from rows as `mvbench search` writes them: two runs (NSGA-II and random) of one file, anchors
 * (generation -1), a candidate measured after its prediction, one over a limit and one only screened by a zero-cost
 * score. Checked as data, as HTML, and rendered in headless Chromium like the rest of the report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '@mvbench/browser';
import type { Accuracy, ResultRow } from '@mvbench/results';
import { describe, expect, it } from 'vitest';
import { searchFigures, searchTable } from './figures/search.ts';
import { buildReport } from './html.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { META } from './test-util.ts';

const template = syntheticRows().find((r) => r.latency && r.runner === 'ort-node:cpu')!;
const proxy = (top1: number | null): Accuracy => ({ kind: 'proxy', value: top1, metric: 'top1', dataset: 'synthetic', source: null, seed: 0 });

interface Eval { spec: string; generation: number; fidelity: number | null; top1?: number; predictedMs?: number; measuredMs?: number; violations?: string[]; zeroCost?: boolean }
const row = (run: string, method: 'nsga2' | 'random', e: Eval): ResultRow => ({
  ...template,
  sweep: run, spec: e.spec, cell: `${e.spec}|ort-node:cpu|t1|all`, canonical: !e.spec.includes(':'), durationS: 30,
  accuracy: e.zeroCost ? { kind: 'zero-cost', value: 120, metric: 'naswot', dataset: null, source: null, seed: 0 } : proxy(e.top1 ?? null),
  search: { key: 'k', method, seed: 0, generation: e.generation, fidelity: e.fidelity, predictedMs: e.predictedMs ?? null, measuredMs: e.measuredMs ?? null, violations: e.violations ?? [] },
});

const nsga2: Eval[] = [
  { spec: 'mobilevitv2_050', generation: -1, fidelity: 0, top1: 30, predictedMs: 20 },
  { spec: 'mobilevitv2_050', generation: -1, fidelity: 1, top1: 40, predictedMs: 20 },
  { spec: 'mobilevitv2_050', generation: -1, fidelity: 1, top1: 40, predictedMs: 20, measuredMs: 21 },
  { spec: 'mobilevitv2_050:width=0.625', generation: 0, fidelity: 0, top1: 35, predictedMs: 15 },
  { spec: 'mobilevitv2_050:width=0.625', generation: 0, fidelity: 1, top1: 42, predictedMs: 15 },
  { spec: 'mobilevitv2_050:width=0.625', generation: 0, fidelity: 1, top1: 42, predictedMs: 15, measuredMs: 16 },
  { spec: 'mobilevitv2_050:ffn=1.5', generation: 0, fidelity: 0, top1: 20, predictedMs: 9 },
  { spec: 'mobilevitv2_050:width=1', generation: 1, fidelity: null, predictedMs: 80, violations: ['latency 80 ms > 60'] },
  { spec: 'mobilevitv2_050:expand=3', generation: 1, fidelity: null, zeroCost: true },
];
const random: Eval[] = [
  { spec: 'mobilevitv2_050:expand=2', generation: 0, fidelity: 0, top1: 25, predictedMs: 12, measuredMs: 12.5 },
  { spec: 'mobilevitv2_050:width=0.75', generation: 0, fidelity: 0, top1: 22, predictedMs: 14 },
];
const rows = [...nsga2.map((e) => row('search-nsga2', 'nsga2', e)), ...random.map((e) => row('search-random', 'random', e))];

type Spec = { layer: { data: { values: Record<string, unknown>[] } }[] };
type Line = { data: { values: { label: string; minutes: number; hypervolume: number }[] } };

describe('the report\'s search section', () => {
  const [front, hv] = searchFigures(rows, 'provenance');

  it('draws each run\'s front at the highest fidelity, the anchors apart, and nothing for sweep rows', () => {
    expect(searchFigures(syntheticRows(), 'p')).toEqual([]);
    if (!('spec' in front)) throw new Error(front.note);
    const [all, fronts, anchors] = (front.spec as unknown as Spec).layer.map((l) => l.data.values);
    expect(all).toHaveLength(4); // the limit's and the screened candidate have no point, nor the anchor
    expect(fronts.map((c) => [c.label, c.spec, c.ms, c.top1, c.measured])).toEqual([
      ['nsga2 seed 0', 'mobilevitv2_050:ffn=1.5', 9, 20, false],
      ['nsga2 seed 0', 'mobilevitv2_050:width=0.625', 16, 42, true],
      ['random seed 0', 'mobilevitv2_050:expand=2', 12.5, 25, true],
    ]);
    expect(anchors.map((a) => [a.spec, a.ms, a.top1])).toEqual([['mobilevitv2_050', 21, 40]]);
  });

  it('plots a hypervolume per run against one reference point, from the latencies as the rows give them', () => {
    if (!('spec' in hv)) throw new Error(hv.note);
    const points = (hv.spec as unknown as Line).data.values;
    for (const label of ['nsga2 seed 0', 'random seed 0']) {
      const mine = points.filter((p) => p.label === label);
      expect(mine.length).toBeGreaterThan(1);
      for (let i = 1; i < mine.length; i++) expect(mine[i].minutes).toBeGreaterThan(mine[i - 1].minutes);
    }
    // reference: 1.1 x the slowest feasible latency (the anchor's 21 ms), 100 % error
    const last = (label: string) => points.filter((p) => p.label === label).at(-1)!.hypervolume;
    expect(last('random seed 0')).toBeCloseTo((23.1 - 12.5) * (100 - 75));
    expect(last('nsga2 seed 0')).toBeCloseTo((23.1 - 9) * (100 - 80) + (23.1 - 16) * (80 - 58));
    // measuring a front member's latency (16 ms, predicted 15) can lower the hypervolume: shown, not hidden
    const nsga = points.filter((p) => p.label === 'nsga2 seed 0').map((p) => p.hypervolume);
    expect(nsga.some((v, i) => i > 0 && v < nsga[i - 1])).toBe(true);
  });

  it('lists the fronts\' specs, naming the canonical models a measured one beats', () => {
    const html = searchTable(rows);
    expect(html).toContain('<code>mobilevitv2_050:width=0.625</code></td><td>16.00</td><td>42.0</td>');
    expect(html).toMatch(/width=0\.625<\/code>.*?<td>mobilevitv2_050<\/td><\/tr>/);
    expect(html).toMatch(/ffn=1\.5<\/code><\/td><td>9\.00 \(predicted\)<\/td>.*?<td>-<\/td><\/tr>/);
    expect(searchTable(syntheticRows())).toBe('');
  });

  it('renders in headless Chromium with marks and a clean console', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-search-report-'));
    const chromium = await launchBrowser();
    try {
      const file = join(dir, 'search.html');
      writeFileSync(file, buildReport(rows, META));
      const page = await chromium.newPage();
      const problems: string[] = [];
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warn') && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push((e as Error).message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction('window.mvbench && window.mvbench.ready === true', { timeout: 15_000 });
      expect(await page.evaluate('window.mvbench.errors')).toEqual([]);
      const marks = (await page.evaluate(`['search-front', 'search-hypervolume'].map((id) => document.querySelectorAll('#vis-' + id + ' .mark-symbol path, #vis-' + id + ' .mark-line path').length)`)) as number[];
      for (const m of marks) expect(m).toBeGreaterThan(0);
      expect(await page.evaluate(`document.querySelector('#search-table').innerText`)).toContain('mobilevitv2_050:width=0.625');
      expect(problems).toEqual([]);
    } finally {
      await chromium.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
