/**
 * Figure d: Config-A vs Config-B patches, paired per model (everything but the patch knob equal). Pair extents and
 * labels are computed here rather than by vega-lite transforms: a layer with its own transform inside a facet with
 * independent scales makes vega-lite warn that it unions domains from different sources.
 */
import { structureKey, type Datum, type FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, tooltip, latencyTitle, title, type Figure } from './common.ts';

export function patchPairs(data: readonly Datum[]): (Datum & { model: string; ratio: number; ratioLabel: string; pairMin: number; pairMax: number; pairHigh: number })[] {
  const key = (d: Datum) => [d.id, d.width, d.attention, d.resolution, d.setting, ...structureKey(d)].join('|');
  const a = new Map(data.filter((d) => d.patch === 'A').map((d) => [key(d), d]));
  return data
    .filter((d) => d.patch === 'B' && a.has(key(d)))
    .flatMap((b) => {
      const pa = a.get(key(b))!;
      const ratio = Math.round((b.median / pa.median) * 100) / 100;
      const pair = { ratio, pairMin: Math.min(pa.median, b.median), pairMax: Math.max(pa.median, b.median), pairHigh: Math.max(pa.ciHigh, b.ciHigh) };
      // a pair is labelled by its Config-A member's spec: A is the families' default, so that spec carries no patch knob
      return [pa, b].map((d) => ({ ...d, model: pa.spec, ...pair, ratioLabel: d === b ? `B/A ${ratio.toFixed(2)}` : '' }));
    });
}

export function patchFigure(ctx: FigureContext): Figure {
  const id = 'patch-a-vs-b';
  const text = 'Config-A vs Config-B patches';
  const pts = patchPairs(ctx.data);
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noPatchPairs : msg.noLatency };
  const y = { field: 'model', type: 'nominal', title: null } as const;
  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.patchSubtitle(ctx.ciLevel)),
      config: CONFIG,
      data: { values: pts },
      facet: { row: { field: 'setting', type: 'nominal', title: null, sort: ctx.settings, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontWeight: 'bold' } } },
      spec: {
        width: 520,
        height: { step: 26 },
        layer: [
          {
            mark: { type: 'rule', color: '#999', strokeWidth: 2 },
            encoding: { y, x: { field: 'pairMin', type: 'quantitative', title: latencyTitle, scale: { zero: false } }, x2: { field: 'pairMax' } },
          },
          {
            mark: { type: 'rule', strokeWidth: 1.5 },
            encoding: { y, x: { field: 'ciLow', type: 'quantitative' }, x2: { field: 'ciHigh' }, color: { field: 'patch', type: 'nominal' } },
          },
          {
            mark: { type: 'point', filled: true, size: 90, opacity: 1 },
            encoding: {
              y,
              x: { field: 'median', type: 'quantitative' },
              color: { field: 'patch', type: 'nominal', title: null, scale: { domain: ['A', 'B'], range: ['#4c78a8', '#f58518'] }, legend: { labelExpr: "'Config-' + datum.label" } },
              tooltip: tooltip(ctx, { field: 'ratio', type: 'quantitative', title: 'B / A' }),
            },
          },
          {
            mark: { type: 'text', align: 'left', dx: 9, fontSize: 10.5, color: '#333' },
            encoding: { y, x: { field: 'pairHigh', type: 'quantitative' }, text: { field: 'ratioLabel', type: 'nominal' } },
          },
        ],
      },
    },
  };
}
