/**
 * The token-scaling figure (plan token-scaling): time of the attention blocks and of the whole model against the
 * tokens of the first attention block, log-log, per runner setting, with each kind's fitted k^e line and exponent.
 * Points and fitted lines share one data set (a point has `ms`, a line end `fitMs`) so the facets share scales.
 */
import type { TokenScaling } from '@mvbench/claims';
import type { FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, title, type Figure } from './common.ts';

const KINDS = { domain: ['mhsa', 'separable', 'additive'], range: ['#e45756', '#4c78a8', '#54a24b'] };

export function scalingFigure(ctx: FigureContext, s: TokenScaling): Figure {
  const points = s.points.map((p) => ({ setting: p.setting, series: p.series, kind: p.kind, tokens: p.tokens, resolution: p.resolution, ms: Math.round(p.ms * 1e4) / 1e4, source: p.source }));
  const lines = s.fits.flatMap((f) => {
    const label = `${f.kind} k^${f.exponent.value.toFixed(2)} [${f.exponent.low.toFixed(2)}, ${f.exponent.high.toFixed(2)}]`;
    return [f.from, f.to].map((end, i) => ({ setting: f.setting, series: f.series, kind: f.kind, tokens: end.tokens, fitMs: Math.round(end.ms * 1e4) / 1e4, label: i ? label : '' }));
  });
  const x = { field: 'tokens', type: 'quantitative', title: 'tokens per attention block (first stage)', scale: { type: 'log', nice: false } } as const;
  const y = (field: string) => ({ field, type: 'quantitative', title: 'ms per inference', scale: { type: 'log', nice: false } }) as const;
  const color = { field: 'kind', type: 'nominal', title: 'attention', scale: KINDS } as const;
  const text = 'Token scaling: attention blocks and whole model vs tokens (log-log)';
  return {
    id: 'token-scaling',
    title: text,
    spec: {
      $schema: SCHEMA,
      title: title(ctx, text, msg.scalingSubtitle(s.model, s.crossovers.map((c) => `${c.setting}: ${c.note}`))),
      config: CONFIG,
      data: { values: [...points, ...lines] },
      facet: { column: { field: 'setting', type: 'nominal', title: null }, row: { field: 'series', type: 'nominal', title: null, sort: ['attention blocks', 'whole model'] } },
      spec: {
        width: 360,
        height: 240,
        layer: [
          { mark: { type: 'line', strokeDash: [4, 3], invalid: 'filter' }, encoding: { x, y: y('fitMs'), color, detail: { field: 'kind' } } },
          {
            mark: { type: 'point', filled: true, size: 50, invalid: 'filter' },
            encoding: {
              x, y: y('ms'), color, shape: { field: 'source', type: 'nominal', title: 'time from' },
              tooltip: [{ field: 'kind' }, { field: 'resolution', title: 'resolution (px)' }, { field: 'tokens' }, { field: 'ms', format: '.3~f' }, { field: 'source', title: 'time from' }],
            },
          },
          { mark: { type: 'text', align: 'right', dy: -9, fontSize: 10.5, invalid: 'filter' }, encoding: { x, y: y('fitMs'), color, text: { field: 'label' } } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
