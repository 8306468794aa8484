/** Figure a: median latency vs accuracy, one panel per accuracy axis (kind + dataset), front per setting. */
import type { Accuracy } from '@mvbench/results';
import type { FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, tooltip, latencyTitle, settingColor, spanScale, title, type Enc, type Figure } from './common.ts';

const KIND_ORDER: Accuracy['kind'][] = ['published', 'evaluated', 'proxy', 'zero-cost'];
const DOMINATED = '#c4c4c4';

export function paretoFigure(ctx: FigureContext): Figure {
  const id = 'pareto';
  const text = 'Latency vs accuracy: the Pareto front';
  const pts = ctx.data.filter((d) => d.accuracyAxis !== null);
  if (!ctx.data.length) return { id, title: text, note: msg.noLatency };
  if (!pts.length) return { id, title: text, note: msg.noAccuracy(ctx.data.length) };

  const kindOf = new Map(pts.map((d) => [d.accuracyAxis!, d.accuracyKind]));
  const axes = [...kindOf.keys()].sort(
    (a, b) => KIND_ORDER.indexOf(kindOf.get(a)!) - KIND_ORDER.indexOf(kindOf.get(b)!) || a.localeCompare(b),
  );
  const x = spanScale(pts.flatMap((d) => [d.ciLow, d.ciHigh]));
  // the facet header names the setting, so the colour needs no legend
  const color: Enc['color'] = { ...settingColor(ctx), legend: null, condition: { test: '!datum.front', value: DOMINATED } };

  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.paretoSubtitle(ctx.ciLevel, ctx.data.length - pts.length)),
      config: CONFIG,
      data: { values: pts },
      resolve: { scale: { x: 'shared', y: 'independent' } },
      vconcat: axes.map((axis) => ({
        transform: [{ filter: { field: 'accuracyAxis', equal: axis } }],
        facet: { field: 'setting', type: 'nominal', title: null, sort: ctx.settings, header: { labelFontWeight: 'bold', labelFontSize: 12 } },
        columns: 3,
        spec: {
          width: 300,
          height: 260,
          encoding: {
            x: { field: 'median', type: 'quantitative', scale: x, title: `${latencyTitle}${x.type === 'log' ? ', log scale' : ''}` },
            y: { field: 'accuracy', type: 'quantitative', scale: { zero: false, padding: 12 }, title: axis },
          },
          layer: [
            { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: { field: 'ciLow', type: 'quantitative' }, x2: { field: 'ciHigh' }, color } },
            {
              transform: [{ filter: 'datum.front' }],
              mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
              encoding: { color: { ...settingColor(ctx), legend: null }, order: { field: 'median', type: 'quantitative' } },
            },
            {
              mark: { type: 'point', filled: true, size: 70 },
              encoding: { color, opacity: { condition: { test: 'datum.front', value: 1 }, value: 0.8 }, tooltip: tooltip(ctx) },
            },
            {
              transform: [{ filter: 'datum.front' }],
              mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 5, dy: -4, fontSize: 10.5, color: '#333' },
              encoding: { text: { field: 'spec', type: 'nominal' } },
            },
          ],
        },
      })),
    },
  };
}
