/** Figure e: where the time goes, per op category and per model scope, from the profiled cells. */
import type { TopLevelSpec } from 'vega-lite';
import type { FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, title, type Figure } from './common.ts';

/** colours chosen so that attention work stands out in red and layout shuffles in yellow */
const CATEGORY_COLOURS: [string, string][] = [
  ['convolution', '#4c78a8'], ['matmul', '#72b7b2'], ['attention matmul', '#e45756'], ['attention reduce', '#ff9d98'],
  ['attention', '#e45756'], ['normalisation', '#b279a2'], ['activation', '#f58518'], ['elementwise', '#54a24b'],
  ['reduce', '#9d755d'], ['layout', '#eeca3b'], ['other', '#bab0ac'],
];

/** vega's tableau20: dark/light pairs. A stage gets a dark colour, the attention inside it the light one. */
const PAIRS = ['#4c78a8', '#9ecae9', '#f58518', '#ffbf79', '#54a24b', '#88d27a', '#b79a20', '#f2cf5b', '#439894', '#83bcb6',
  '#e45756', '#ff9d98', '#d67195', '#fcbfd2', '#b279a2', '#d6a5c9', '#9e765f', '#d8b5a5'];

function scopeColours(domain: string[]): string[] {
  const pairOf = new Map<string, number>();
  return domain.map((s) => {
    if (s === 'runtime-inserted') return '#bab0ac';
    const base = s.replace(/ attention$/, '');
    if (base !== s && pairOf.has(base)) return PAIRS[(2 * pairOf.get(base)! + 1) % PAIRS.length];
    pairOf.set(base, pairOf.size);
    return PAIRS[(2 * (pairOf.size - 1)) % PAIRS.length];
  });
}

/** stem, then stages in numeric order (each followed by its attention), head, then what the runtime inserted */
function scopeRank(s: string): number {
  if (s === 'stem') return 0;
  if (/^(stages|network|blocks)\./.test(s)) return 1;
  if (s === 'runtime-inserted') return 4;
  return s.startsWith('head') ? 3 : 2;
}

type By = 'byCategory' | 'byScope';

function breakdown(ctx: FigureContext, by: By, id: string, text: string, legend: string): Figure {
  if (!ctx.profiled.length) return { id, title: text, note: ctx.data.length ? msg.noProfile : msg.noLatency };
  const cells = [...ctx.profiled].sort(
    (a, b) => ctx.settings.indexOf(a.datum.setting) - ctx.settings.indexOf(b.datum.setting) || a.datum.median - b.datum.median,
  );
  const label = (c: (typeof cells)[number]) => `${c.datum.spec} · ${c.datum.setting}`;
  const keys = [...new Set(cells.flatMap((c) => Object.keys(c.profile[by])))];
  let domain: string[], range: string[] | undefined;
  if (by === 'byCategory') {
    const known = CATEGORY_COLOURS.filter(([k]) => keys.includes(k));
    const unknown = keys.filter((k) => !CATEGORY_COLOURS.some(([c]) => c === k)).sort();
    domain = [...known.map(([k]) => k), ...unknown];
    range = unknown.length ? undefined : known.map(([, c]) => c);
  } else {
    domain = keys.sort((a, b) => scopeRank(a) - scopeRank(b) || a.localeCompare(b, 'en', { numeric: true }));
    range = scopeColours(domain);
  }
  const values = cells.flatMap((c) =>
    Object.entries(c.profile[by]).map(([key, ms]) => ({
      label: label(c), key, ms, order: domain.indexOf(key), share: ms / c.profile.totalMs, totalMs: c.profile.totalMs,
    })),
  );
  const medians = cells.map((c) => ({ label: label(c), median: c.datum.median }));
  const y = { field: 'label', type: 'nominal', title: null, sort: cells.map(label), axis: { labelLimit: 420 } } as const;
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: title(ctx, text, msg.breakdownSubtitle(legend)),
    config: CONFIG,
    width: 560,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'kernel time per inference (ms)' },
          color: { field: 'key', type: 'nominal', title: legend, sort: domain, scale: range ? { domain, range } : { domain, scheme: 'tableau20' } },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'cell' },
            { field: 'key', type: 'nominal', title: legend },
            { field: 'ms', type: 'quantitative', title: 'ms per inference', format: '.3~f' },
            { field: 'share', type: 'quantitative', title: 'share of profiled time', format: '.1%' },
            { field: 'totalMs', type: 'quantitative', title: 'profiled total (ms)', format: '.3~f' },
          ],
        },
      },
      {
        data: { values: medians },
        mark: { type: 'tick', color: 'black', thickness: 2.5, size: 18 },
        encoding: { y, x: { field: 'median', type: 'quantitative' }, tooltip: [{ field: 'median', type: 'quantitative', title: 'unprofiled median (ms)', format: '.3~f' }] },
      },
    ],
  };
  return { id, title: text, spec };
}

export const categoryFigure = (ctx: FigureContext): Figure =>
  breakdown(ctx, 'byCategory', 'breakdown-category', 'Where the time goes: op categories', 'op category');

export const scopeFigure = (ctx: FigureContext): Figure =>
  breakdown(ctx, 'byScope', 'breakdown-scope', 'Where the time goes: model scopes', 'model scope');
