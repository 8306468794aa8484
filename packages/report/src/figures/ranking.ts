/**
 * Ranking stability: Kendall's tau-b between the model rankings (by median latency) of every pair of runner
 * settings, over the models measured on both. A model that wins on one runtime can lose on another; tau near 1
 * means the ranking carries over, near 0 that it does not.
 */
import { kendallTau } from '@mvbench/core';
import type { Datum, FigureContext } from '../data.ts';
import { msg } from '../messages.ts';
import { CONFIG, SCHEMA, title, type Figure } from './common.ts';

function rankingPairs(data: readonly Datum[], settings: readonly string[]) {
  const by = new Map(settings.map((s) => [s, new Map(data.filter((d) => d.setting === s).map((d) => [d.spec, d.median]))]));
  return settings.flatMap((a) =>
    settings.map((b) => {
      const common = [...by.get(a)!.keys()].filter((spec) => by.get(b)!.has(spec));
      const tau = kendallTau(common.map((s) => by.get(a)!.get(s)!), common.map((s) => by.get(b)!.get(s)!));
      return { a, b, models: common.length, tau: Number.isNaN(tau) ? null : Math.round(tau * 100) / 100 };
    }),
  );
}

export function rankingFigure(ctx: FigureContext): Figure {
  const id = 'ranking-stability', text = 'Ranking stability between runners';
  if (!ctx.data.length) return { id, title: text, note: msg.noLatency };
  const pairs = rankingPairs(ctx.data, ctx.settings).filter((p) => p.models >= 3);
  if (ctx.settings.length < 2 || !pairs.some((p) => p.a !== p.b))
    return { id, title: text, note: msg.noRankingPairs };
  const axis = (field: 'a' | 'b') => ({ field, type: 'nominal', title: null, sort: ctx.settings, axis: { labelLimit: 260 } }) as const;
  return {
    id,
    title: text,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: title(ctx, text, ["Kendall's tau-b of the models' latency ranking between two settings, over the models both measured (1 = same order)"]),
      data: { values: pairs },
      width: { step: 70 },
      height: { step: 34 },
      encoding: { x: axis('b'), y: axis('a') },
      layer: [
        {
          mark: 'rect',
          encoding: {
            color: { field: 'tau', type: 'quantitative', title: 'tau', scale: { domain: [-1, 1], scheme: 'redblue' } },
            tooltip: [{ field: 'a', title: 'setting' }, { field: 'b', title: 'vs' }, { field: 'tau', title: 'Kendall tau-b' }, { field: 'models', title: 'models in common' }],
          },
        },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'tau', type: 'quantitative', format: '.2f' }, color: { value: '#111' } } },
      ],
    } as never,
  };
}
