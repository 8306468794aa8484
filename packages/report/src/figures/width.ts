/** Figure c: latency vs width, one line per attention kind, a panel per family (rows) and setting (columns). */
import { structureKey, type Datum, type FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, tooltip, latencyTitle, title, type Figure } from './common.ts';

const ATTENTION_ORDER = ['mhsa', 'separable', 'additive', 'none'];

const groupBy = <T>(xs: readonly T[], key: (x: T) => string) =>
  xs.reduce((m, x) => m.set(key(x), [...(m.get(key(x)) ?? []), x]), new Map<string, T[]>());

/**
 * Points that form width sweeps: same family, attention, patch, resolution, depth, ffn, expand and setting, at two
 * or more widths. Where one width holds several ids (mobilevit_xxs/xs/s are all width 1), ids are separate models:
 * split by id. Not dims: MobileViT v1's default transformer dims follow the width.
 */
export function widthSeries(data: readonly Datum[]): (Datum & { series: string })[] {
  const base = (d: Datum) => [d.family, d.attention, d.patch ?? '-', d.resolution, d.setting, ...structureKey(d, ['depth', 'ffn', 'expand'])].join(' | ');
  // .onnx files' rows have no width
  return [...groupBy(data.filter((d) => d.width !== null), base)].flatMap(([key, group]) => {
    const idsPerWidth = groupBy(group, (d) => String(d.width));
    const split = [...idsPerWidth.values()].some((g) => new Set(g.map((d) => d.id)).size > 1);
    const series = split ? [...groupBy(group, (d) => d.id)].map(([id, g]) => [`${key} | ${id}`, g] as const) : [[key, group] as const];
    return series
      .filter(([, g]) => new Set(g.map((d) => d.width)).size >= 2)
      .flatMap(([s, g]) => g.map((d) => ({ ...d, series: s })));
  });
}

export function widthFigure(ctx: FigureContext): Figure {
  const id = 'attention-width';
  const text = 'Latency vs width per attention kind';
  const pts = widthSeries(ctx.data);
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noWidthSweep : msg.noLatency };
  const present = new Set(pts.flatMap((d) => d.attention ?? []));
  const attention = [...ATTENTION_ORDER.filter((a) => present.has(a)), ...[...present].filter((a) => !ATTENTION_ORDER.includes(a)).sort()];
  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.widthSubtitle(ctx.ciLevel)),
      config: CONFIG,
      data: { values: pts },
      facet: {
        row: { field: 'family', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } },
        column: { field: 'setting', type: 'nominal', title: null, sort: ctx.settings, header: { labelFontWeight: 'bold' } },
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 260,
        height: 170,
        encoding: {
          x: { field: 'width', type: 'quantitative', scale: { zero: false, padding: 10 }, title: 'width multiplier' },
          y: { field: 'median', type: 'quantitative', scale: { zero: false }, title: latencyTitle },
          color: { field: 'attention', type: 'nominal', title: 'attention', scale: { domain: attention, scheme: 'set1' } },
        },
        layer: [
          { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'ciLow', type: 'quantitative' }, y2: { field: 'ciHigh' } } },
          { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { detail: { field: 'series', type: 'nominal' } } },
          { mark: { type: 'point', filled: true, size: 50 }, encoding: { tooltip: tooltip(ctx) } },
        ],
      },
    },
  };
}
