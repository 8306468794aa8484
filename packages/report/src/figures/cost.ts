/** Figure b: parameters vs latency and MACs vs latency, to show that neither predicts speed. */
import type { TopLevelSpec } from 'vega-lite';
import type { Datum, FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, tooltip, latencyTitle, settingColor, spanScale, title, type Figure } from './common.ts';

type CostField = 'paramsM' | 'macsG';

function costScatter(ctx: FigureContext, field: CostField, axisTitle: string, pts: Datum[], subtitle: string[], text: string): TopLevelSpec {
  const y = spanScale(pts.flatMap((d) => [d.ciLow, d.ciHigh]));
  return {
    $schema: SCHEMA,
    title: title(ctx, text, subtitle),
    config: CONFIG,
    data: { values: pts },
    width: 560,
    height: 340,
    encoding: {
      x: { field, type: 'quantitative', scale: { zero: false, padding: 12 }, title: axisTitle },
      y: { field: 'median', type: 'quantitative', scale: y, title: `${latencyTitle}${y.type === 'log' ? ', log scale' : ''}` },
      color: settingColor(ctx),
    },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'ciLow', type: 'quantitative' }, y2: { field: 'ciHigh' } } },
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
        encoding: { shape: { field: 'family', type: 'nominal', title: 'family' }, tooltip: tooltip(ctx) },
      },
    ],
  };
}

export function paramsFigure(ctx: FigureContext): Figure {
  const id = 'params-latency';
  const text = 'Parameters vs latency';
  const pts = ctx.data.filter((d) => d.paramsM !== null);
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noParams : msg.noLatency };
  return { id, title: text, spec: costScatter(ctx, 'paramsM', 'parameters (millions)', pts, msg.paramsSubtitle(ctx.ciLevel), text) };
}

export function macsFigure(ctx: FigureContext): Figure {
  const id = 'macs-latency';
  const text = 'MACs vs latency';
  const pts = ctx.data.filter((d) => d.macsG !== null);
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noMacs : msg.noLatency };
  return { id, title: text, spec: costScatter(ctx, 'macsG', 'multiply-accumulates (GMACs)', pts, msg.macsSubtitle(ctx.ciLevel, widestSpread(pts)), text) };
}

/** among cells of one setting whose MACs are within 15% of each other, the pair with the largest latency ratio */
export function widestSpread(pts: readonly Datum[]) {
  let best: NonNullable<Parameters<typeof msg.macsSubtitle>[1]> | null = null;
  for (const a of pts)
    for (const b of pts) {
      if (a.setting !== b.setting || a.median <= b.median || a.macsG === null || b.macsG === null) continue;
      if (Math.abs(a.macsG - b.macsG) > 0.15 * Math.min(a.macsG, b.macsG)) continue;
      const ratio = a.median / b.median;
      if (!best || ratio > best.ratio)
        best = { slow: a.spec, fast: b.spec, slowMacs: a.macsG, fastMacs: b.macsG, ratio, setting: a.setting };
    }
  return best && best.ratio >= 1.1 ? best : null;
}
