/**
 * Figure e: where the time goes, per op category and per model scope, from the profiled cells. Scope names are
 * the families' own (stages.2, network.4, blocks.3), so the scope figure has one panel and legend per family.
 */
import type { Profile } from '@mvbench/results';
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { Datum, FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, title, type Figure } from './common.ts';

/** colours chosen so that attention work stands out in red and layout shuffles in yellow */
const CATEGORY_COLOURS: [string, string][] = [
  ['convolution', '#4c78a8'], ['matmul', '#72b7b2'], ['attention matmul', '#e45756'], ['attention reduce', '#ff9d98'],
  ['attention', '#e45756'], ['normalisation', '#b279a2'], ['activation', '#f58518'], ['elementwise', '#54a24b'],
  ['reduce', '#9d755d'], ['layout', '#eeca3b'], ['other', '#bab0ac'],
];

/** vega's tableau20 dark/light pairs: a stage gets a dark colour, the attention inside it the light one */
const PAIRS = ['#4c78a8', '#9ecae9', '#f58518', '#ffbf79', '#54a24b', '#88d27a', '#b79a20', '#f2cf5b', '#439894', '#83bcb6',
  '#e45756', '#ff9d98', '#d67195', '#fcbfd2', '#b279a2', '#d6a5c9'];
/** stems, heads and the like, in muted colours that do not compete with the stages */
const MUTED = ['#6f6f6f', '#9e765f', '#c7a78f', '#a0a0a0', '#5c4a3d', '#d0c4bc'];
const STAGE = /^(stages|network|blocks)\.\d+/;

function scopeColours(domain: string[]): string[] {
  const pairOf = new Map<string, number>();
  let muted = 0;
  return domain.map((s) => {
    if (s === 'runtime-inserted') return '#dcdcdc';
    if (!STAGE.test(s)) return MUTED[muted++ % MUTED.length];
    const base = s.replace(/ attention$/, '');
    if (!pairOf.has(base)) pairOf.set(base, pairOf.size);
    return PAIRS[(2 * pairOf.get(base)! + (base === s ? 0 : 1)) % PAIRS.length];
  });
}

/** input side (stem), stages in numeric order each followed by its attention, output side (head), runtime */
function scopeRank(s: string): number {
  if (/^(stem|conv_stem|patch_embed|bn1)$/.test(s)) return 0;
  if (STAGE.test(s)) return 1;
  if (s === 'runtime-inserted') return 4;
  return /head|classifier/.test(s) ? 3 : 2;
}

type Cell = { datum: Datum; profile: Profile };
type By = 'byCategory' | 'byScope';

const cellLabel = (c: Cell) => `${c.datum.spec} · ${c.datum.setting}`;

function colours(cells: Cell[], by: By): { domain: string[]; range: string[] } {
  const keys = [...new Set(cells.flatMap((c) => Object.keys(c.profile[by])))];
  if (by === 'byScope') {
    const domain = keys.sort((a, b) => scopeRank(a) - scopeRank(b) || a.localeCompare(b, 'en', { numeric: true }));
    return { domain, range: scopeColours(domain) };
  }
  const known = CATEGORY_COLOURS.filter(([k]) => keys.includes(k));
  const unknown = keys.filter((k) => !CATEGORY_COLOURS.some(([c]) => c === k)).sort();
  return { domain: [...known.map(([k]) => k), ...unknown], range: [...known.map(([, c]) => c), ...unknown.map((_, i) => MUTED[i % MUTED.length])] };
}

/** stacked bars of one group of cells, with a tick at each cell's unprofiled median */
function bars(cells: Cell[], by: By, legend: string, labelWidth: number): LayerSpec<Field> {
  const { domain, range } = colours(cells, by);
  const values = cells.flatMap((c) =>
    Object.entries(c.profile[by]).map(([key, ms]) => ({
      label: cellLabel(c), key, ms, order: domain.indexOf(key), share: ms / c.profile.totalMs, totalMs: c.profile.totalMs,
    })),
  );
  // the same label width in every panel, so that the bars of stacked panels start at the same x
  const y = { field: 'label', type: 'nominal', title: null, sort: cells.map(cellLabel), axis: { labelLimit: 420, minExtent: labelWidth } } as const;
  return {
    width: 560,
    height: { step: 22 },
    layer: [
      {
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          y,
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'kernel time per inference (ms)' },
          color: { field: 'key', type: 'nominal', title: legend, sort: domain, scale: { domain, range }, legend: { columns: domain.length > 10 ? 2 : 1 } },
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
        data: { values: cells.map((c) => ({ label: cellLabel(c), median: c.datum.median })) },
        mark: { type: 'tick', color: 'black', thickness: 2.5, size: 18 },
        encoding: { y, x: { field: 'median', type: 'quantitative' }, tooltip: [{ field: 'median', type: 'quantitative', title: 'unprofiled median (ms)', format: '.3~f' }] },
      },
    ],
  };
}

/** about 6 px per character of an 11 px label, capped at the label limit */
const labelWidth = (cells: Cell[]) => Math.min(420, Math.max(...cells.map((c) => cellLabel(c).length)) * 6);

function profiledCells(ctx: FigureContext): Cell[] {
  const rank = (c: Cell) => ctx.settings.indexOf(c.datum.setting);
  return [...ctx.profiled].sort((a, b) => rank(a) - rank(b) || a.datum.median - b.datum.median);
}

export function categoryFigure(ctx: FigureContext): Figure {
  const id = 'breakdown-category';
  const text = 'Where the time goes: op categories';
  if (!ctx.profiled.length) return { id, title: text, note: ctx.data.length ? msg.noProfile : msg.noLatency };
  const cells = profiledCells(ctx);
  const spec: TopLevelSpec = { $schema: SCHEMA, title: title(ctx, text, msg.breakdownSubtitle('op category')), config: CONFIG, ...bars(cells, 'byCategory', 'op category', labelWidth(cells)) };
  return { id, title: text, spec };
}

export function scopeFigure(ctx: FigureContext): Figure {
  const id = 'breakdown-scope';
  const text = 'Where the time goes: model scopes';
  if (!ctx.profiled.length) return { id, title: text, note: ctx.data.length ? msg.noProfile : msg.noLatency };
  const cells = profiledCells(ctx);
  const families = [...new Set(cells.map((c) => c.datum.family))].sort();
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: title(ctx, text, msg.breakdownSubtitle('model scope (each family names its own)')),
    config: CONFIG,
    vconcat: families.map((f) => ({
      title: { text: f, fontSize: 13, subtitle: '' },
      ...bars(cells.filter((c) => c.datum.family === f), 'byScope', 'scope', labelWidth(cells)),
    })),
    resolve: { scale: { x: 'shared', color: 'independent', y: 'independent' }, legend: { color: 'independent' } },
  };
  return { id, title: text, spec };
}
