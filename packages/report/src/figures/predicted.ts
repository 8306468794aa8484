/**
 * Figure: predicted vs measured latency, for cells whose rows carry a latency predictor's estimate (sweep
 * --predict). The diagonal is a perfect prediction, the dashed lines +/-10%: how far to trust a search that ranks
 * candidates by predicted latency on this machine.
 */
import type { FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, latencyTitle, settingColor, title, tooltip, type Figure } from './common.ts';

export function predictedFigure(ctx: FigureContext): Figure {
  const id = 'predicted-measured';
  const text = 'Predicted vs measured latency';
  const pts = ctx.data.filter((d) => d.predicted !== undefined).map((d) => ({ ...d, error: Math.round((d.predicted! / d.median - 1) * 1000) / 10 }));
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noPredictions : msg.noLatency };
  const all = pts.flatMap((d) => [d.median, d.predicted!]);
  const [lo, hi] = [Math.min(...all) * 0.85, Math.max(...all) * 1.15];
  const within10 = pts.filter((d) => Math.abs(d.error) <= 10).length;
  const lines = [1, 0.9, 1.1].flatMap((k) => [lo, hi].map((x) => ({ x, y: x * k, line: k === 1 ? 'predicted = measured' : '+/-10%', k: String(k) })));
  const scale = { type: 'log' as const, domain: [lo, hi], nice: false };
  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.predictedSubtitle(pts.length, within10)),
      config: CONFIG,
      width: 460,
      height: 460,
      layer: [
        {
          data: { values: lines },
          mark: { type: 'line', color: '#888', strokeWidth: 1 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale },
            y: { field: 'y', type: 'quantitative', scale },
            detail: { field: 'k', type: 'nominal' },
            strokeDash: { field: 'line', type: 'nominal', title: null, scale: { domain: ['predicted = measured', '+/-10%'], range: [[1, 0], [4, 3]] } },
          },
        },
        {
          data: { values: pts },
          mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
          encoding: {
            x: { field: 'median', type: 'quantitative', scale, title: `measured ${latencyTitle}, log scale` },
            y: { field: 'predicted', type: 'quantitative', scale, title: 'predicted median latency (ms), log scale' },
            color: settingColor(ctx),
            shape: { field: 'family', type: 'nominal', title: 'family' },
            tooltip: tooltip(ctx, { field: 'predicted', type: 'quantitative', title: 'predicted ms' }, { field: 'error', type: 'quantitative', title: 'prediction error %' }, { field: 'predictor', type: 'nominal', title: 'predictor' }),
          },
        },
      ],
    },
  };
}
