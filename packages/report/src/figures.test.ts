import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ResultRow } from '@mvbench/results';
import { figureContext, settingOf, type Datum } from './data.ts';
import { figures } from './figures/index.ts';
import { widestSpread } from './figures/cost.ts';
import { paretoFigure } from './figures/pareto.ts';
import { patchPairs } from './figures/patch.ts';
import { widthSeries } from './figures/width.ts';
import { machines } from './machines.ts';
import { msg } from './messages.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { edit } from './test-util.ts';

const rows = syntheticRows();
const ctx = figureContext(rows, 'provenance');

const dominates = (q: Datum, p: Datum) =>
  q.median <= p.median && q.accuracy! >= p.accuracy! && (q.median < p.median || q.accuracy! > p.accuracy!);

describe('synthetic rows', () => {
  it('are valid result rows with ok and failed cells, profiles and both accuracy kinds', () => {
    for (const r of rows) ResultRow.parse(r);
    expect(rows.some((r) => r.error && r.latency === null)).toBe(true);
    expect(rows.some((r) => r.profile)).toBe(true);
    expect(new Set(rows.map((r) => r.accuracy.kind))).toEqual(new Set(['published', 'none']));
  });
});

describe('Pareto front', () => {
  it('marks exactly the points no other point of the same axis and setting dominates', () => {
    const pts = ctx.data.filter((d) => d.accuracyAxis);
    for (const p of pts) {
      const rivals = pts.filter((q) => q !== p && q.accuracyAxis === p.accuracyAxis && q.setting === p.setting);
      expect(p.front, `${p.spec} on ${p.setting}`).toBe(!rivals.some((q) => dominates(q, p)));
    }
    expect(pts.filter((d) => d.front).length).toBeGreaterThan(3);
    expect(pts.filter((d) => !d.front).length).toBeGreaterThan(3);
  });

  it('never puts two accuracy kinds or datasets on one axis', () => {
    const evaluated = edit(rows.filter((r) => r.accuracy.kind === 'published'), (r) => ({
      cell: `${r.cell}|eval`,
      accuracy: { ...r.accuracy, kind: 'evaluated', value: r.accuracy.value! - 3, dataset: 'imagenette val', source: 'mvbench eval' },
    }));
    const proxy = edit(rows.slice(0, 4), (r) => ({ accuracy: { kind: 'zero-cost', value: 12, metric: 'synflow', dataset: null, source: null, seed: 1 } }));
    const fig = paretoFigure(figureContext([...rows, ...evaluated, ...proxy], ''));
    if (!('spec' in fig) || !('vconcat' in fig.spec)) throw new Error('expected a vconcat of panels');
    const panels = fig.spec.vconcat as { transform: { filter: { equal: string } }[]; spec: { encoding: { y: { title: string } } } }[];
    const axes = panels.map((p) => p.transform[0].filter.equal);
    expect(axes).toEqual([
      'ImageNet-1k val top-1 % (published)',
      'imagenette val top-1 % (evaluated)',
      'synflow (zero-cost proxy, not accuracy)',
    ]);
    for (const p of panels) expect(p.spec.encoding.y.title).toBe(p.transform[0].filter.equal);
    const data = (fig.spec as { data: { values: Datum[] } }).data.values;
    for (const axis of axes) expect(new Set(data.filter((d) => d.accuracyAxis === axis).map((d) => d.accuracyKind)).size).toBe(1);
  });

  it('leaves out cells without accuracy and failed cells, and says so', () => {
    const fig = paretoFigure(ctx);
    if (!('spec' in fig)) throw new Error('expected a spec');
    const data = (fig.spec as { data: { values: Datum[] } }).data.values;
    expect(data.every((d) => d.accuracyKind === 'published')).toBe(true);
    expect(JSON.stringify(fig.spec.title)).toContain("without an accuracy value (kind 'none'");
    const failed = rows.filter((r) => r.error);
    for (const r of failed) expect(ctx.data.some((d) => d.spec === r.spec && d.runner === r.runner && d.threads === r.threads)).toBe(false);
  });
});

describe('figures without data', () => {
  it('become notes, never empty charts', () => {
    for (const f of figures(figureContext([], ''))) expect(f).toHaveProperty('note', msg.noLatency);
    const noAccuracyNoProfile = edit(rows, () => ({ profile: null, accuracy: { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null } }));
    const notes = Object.fromEntries(figures(figureContext(noAccuracyNoProfile, '')).map((f) => [f.id, 'note' in f ? f.note : null]));
    expect(notes.pareto).toMatch(/kind 'none'/);
    expect(notes['breakdown-category']).toBe(msg.noProfile);
    expect(notes['breakdown-scope']).toBe(msg.noProfile);
    expect(notes['macs-latency']).toBeNull();
  });
});

describe('derived figure data', () => {
  it('width sweeps: v2 widths form lines, mobilevit xxs/xs/s (all width 1) do not', () => {
    const series = widthSeries(ctx.data);
    expect(series.some((d) => d.family === 'mobilevit')).toBe(false);
    const sep = series.filter((d) => d.family === 'mobilevitv2' && d.attention === 'separable' && d.setting === 'ort-node:cpu · 1 thread');
    expect(sep.map((d) => d.width).sort()).toEqual([0.5, 0.75, 1]);
    expect(new Set(sep.map((d) => d.series)).size).toBe(1);
    expect(series.some((d) => d.family === 'swiftformer')).toBe(false);
  });

  it('Config-A/B pairs share everything but the patch, with the B/A ratio', () => {
    const pairs = patchPairs(ctx.data);
    expect(pairs.length).toBe(8); // xxs and xs, A and B, on ort-node 1 and 2 threads (no B cells on ort-web)
    const xxs = pairs.filter((d) => d.model === 'mobilevit_xxs' && d.threads === 1);
    expect(xxs.map((d) => d.patch).sort()).toEqual(['A', 'B']);
    const [a, b] = [...xxs].sort((x, y) => x.patch!.localeCompare(y.patch!));
    expect(b.ratio).toBeCloseTo(b.median / a.median, 2);
    expect(b.spec).toBe('mobilevit_xxs:patch=B'); // a pair is labelled by its A member's spec, without the patch knob
  });

  it('structure knobs: shown on hover where rows carry them; width lines and A/B pairs join only equal values', () => {
    const tips = (c: ReturnType<typeof figureContext>) => JSON.stringify(paretoFigure(c)).match(/"field":"(depth|ffn|expand|dims)"/g) ?? [];
    expect(tips(ctx)).toEqual([]); // rows written before the knobs existed: the figures as they were
    const v2 = rows.filter((r) => r.family === 'mobilevitv2' && r.latency);
    const knobs = (r: ResultRow, depth: string) => ({ ...r.knobs!, depth, ffn: 2, expand: 2, dims: null });
    const asBuilt = edit(v2, (r) => ({ knobs: knobs(r, '2x4x3') }));
    const shallow = edit(v2, (r) => ({ spec: `${r.spec}:depth=1x1x1`, knobs: knobs(r, '1x1x1'), latency: { ...r.latency!, median: r.latency!.median * 0.7 } }));
    const c = figureContext([...asBuilt, ...shallow], '');
    expect(tips(c)).toEqual(['"field":"depth"', '"field":"ffn"', '"field":"expand"']);
    const sep = widthSeries(c.data).filter((d) => d.attention === 'separable' && d.setting === 'ort-node:cpu · 1 thread');
    const lines = [...new Set(sep.map((d) => d.series))];
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(sep.filter((d) => d.series === l).map((d) => d.width).sort()).toEqual([0.5, 0.75, 1]);
    const mvit = rows.filter((r) => r.family === 'mobilevit');
    const deeperB = edit(mvit, (r) => ({ knobs: { ...r.knobs!, depth: r.knobs!.patch === 'B' ? '3x4x3' : '2x4x3' } }));
    expect(patchPairs(figureContext(deeperB, '').data)).toEqual([]);
  });

  it('finds the widest latency spread at similar MACs within one setting', () => {
    const s = widestSpread(ctx.data)!;
    expect(s.ratio).toBeGreaterThan(1.1);
    expect(Math.abs(s.slowMacs - s.fastMacs)).toBeLessThanOrEqual(0.15 * Math.min(s.slowMacs, s.fastMacs));
  });

  it('labels a setting with the threads actually used when they differ from those requested', () => {
    expect(settingOf({ ...rows[0], threads: 4, threadsUsed: 1 }, false)).toBe('ort-node:cpu · 4 threads (1 used)');
    expect(settingOf(rows[0], true)).toBe('ort-node:cpu · 1 thread · opt all');
  });

  it('fingerprints machines with runtimes and threads used', () => {
    const [m] = machines(rows);
    expect(m.summary).toContain('AMD EPYC 7B13 · 2 cores');
    expect(m.runtime).toEqual({ 'onnxruntime-node': '1.30.0', 'onnxruntime-web': '1.30.0' });
    expect(m.threads).toContain('ort-node:cpu: 2 threads → 2 used');
  });
});

describe('specs', () => {
  it('compile without vega-lite warnings', () => {
    for (const f of figures(ctx)) {
      if (!('spec' in f)) throw new Error(`${f.id} has no data in the synthetic rows: ${f.note}`);
      const warnings: string[] = [];
      const logger = {
        level: () => logger, info: () => logger, debug: () => logger,
        warn: (...m: unknown[]) => (warnings.push(m.join(' ')), logger),
        error: (...m: unknown[]) => (warnings.push(m.join(' ')), logger),
      };
      compile(f.spec as TopLevelSpec, { logger: logger as never });
      expect(warnings, f.id).toEqual([]);
    }
  });
});
