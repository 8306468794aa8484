/**
 * Figure: MACs vs latency relative to the machine. Latency x the calibration MatMul's GFLOP/s (measured in the same
 * run, at the cell's thread count) = 'MatMul-equivalent GFLOP': results from instances 2.7x apart land together.
 */
import type { FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, settingColor, spanScale, title, tooltip, type Figure } from './common.ts';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function calibratedFigure(ctx: FigureContext): Figure {
  const id = 'macs-calibrated';
  const text = 'MACs vs latency relative to the machine';
  const pts = ctx.calibrated
    .filter((c) => c.datum.macsG !== null)
    .map(({ datum, gflops }) => ({ ...datum, gflops, eq: round((datum.median * gflops) / 1000), eqLow: round((datum.ciLow * gflops) / 1000), eqHigh: round((datum.ciHigh * gflops) / 1000) }));
  if (!pts.length) return { id, title: text, note: ctx.data.length ? msg.noCalibration : msg.noLatency };
  const y = spanScale(pts.flatMap((d) => [d.eqLow, d.eqHigh]));
  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.calibratedSubtitle(ctx.ciLevel)),
      config: CONFIG,
      data: { values: pts },
      width: 560,
      height: 340,
      encoding: {
        x: { field: 'macsG', type: 'quantitative', scale: { zero: false, padding: 12 }, title: 'multiply-accumulates (GMACs)' },
        y: { field: 'eq', type: 'quantitative', scale: y, title: `MatMul-equivalent GFLOP${y.type === 'log' ? ', log scale' : ''}` },
        color: settingColor(ctx),
      },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'eqLow', type: 'quantitative' }, y2: { field: 'eqHigh' } } },
        {
          mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
          encoding: {
            shape: { field: 'family', type: 'nominal', title: 'family' },
            tooltip: tooltip(ctx, { field: 'eq', type: 'quantitative', title: 'MatMul-equivalent GFLOP' }, { field: 'gflops', type: 'quantitative', title: 'calibration GFLOP/s' }),
          },
        },
      ],
    },
  };
}
