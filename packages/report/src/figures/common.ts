/** Pieces every figure shares: the figure type, theme, title with provenance, colours per setting, tooltips. */
import type { Config, TopLevelSpec } from 'vega-lite';
import type { Field, TooltipFieldDef } from 'vega-lite/types_unstable/channeldef.js';
import type { Encoding } from 'vega-lite/types_unstable/encoding.js';
import type { TitleParams } from 'vega-lite/types_unstable/title.js';
import { STRUCTURE_KNOBS, type FigureContext } from '../data.ts';

export type Enc = Encoding<Field>;

/** a figure is a spec, or a short note saying why there is nothing to draw */
export type Figure = { id: string; title: string; spec: TopLevelSpec } | { id: string; title: string; note: string };

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const CONFIG: Config = {
  font: 'Liberation Sans, Arial, Helvetica, sans-serif',
  title: { anchor: 'start', fontSize: 15, subtitleFontSize: 11.5, subtitleColor: '#555', subtitlePadding: 6, offset: 14 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
  view: { stroke: '#ddd' },
};

export const title = (ctx: FigureContext, text: string, subtitle: string[]): TitleParams<never> => ({
  text,
  subtitle: [...subtitle, ctx.provenance],
});

/** one colour per runner setting, the same in every figure */
export const settingColor = (ctx: FigureContext): Enc['color'] => ({
  field: 'setting',
  type: 'nominal',
  title: 'runner · threads',
  scale: { domain: ctx.settings, scheme: 'tableau10' },
});

export const latencyTitle = 'median latency (ms)';

/** every field a user may want on hover, so a point can be traced back to its cell */
const TOOLTIP: TooltipFieldDef<Field>[] = [
  { field: 'spec', type: 'nominal', title: 'model spec' },
  { field: 'family', type: 'nominal', title: 'family' },
  { field: 'width', type: 'quantitative', title: 'width' },
  { field: 'attention', type: 'nominal', title: 'attention' },
  { field: 'patch', type: 'nominal', title: 'patch config' },
  { field: 'resolution', type: 'quantitative', title: 'resolution (px)' },
  { field: 'runner', type: 'nominal', title: 'runner' },
  { field: 'threads', type: 'quantitative', title: 'threads requested' },
  { field: 'threadsUsed', type: 'quantitative', title: 'threads used' },
  { field: 'graphOptimization', type: 'nominal', title: 'graph optimisation' },
  { field: 'median', type: 'quantitative', title: 'median (ms)', format: '.3~f' },
  { field: 'ciLow', type: 'quantitative', title: 'CI low (ms)', format: '.3~f' },
  { field: 'ciHigh', type: 'quantitative', title: 'CI high (ms)', format: '.3~f' },
  { field: 'p10', type: 'quantitative', title: 'p10 (ms)', format: '.3~f' },
  { field: 'p90', type: 'quantitative', title: 'p90 (ms)', format: '.3~f' },
  { field: 'n', type: 'quantitative', title: 'timed runs' },
  { field: 'paramsM', type: 'quantitative', title: 'params (M)', format: '.3~f' },
  { field: 'macsG', type: 'quantitative', title: 'MACs (G)', format: '.3~f' },
  { field: 'accuracy', type: 'quantitative', title: 'accuracy' },
  { field: 'accuracyKind', type: 'nominal', title: 'accuracy kind' },
  { field: 'accuracyDataset', type: 'nominal', title: 'accuracy dataset' },
  { field: 'accuracySource', type: 'nominal', title: 'accuracy source' },
];

/** the structure knobs' titles; a figure's tooltip lists those its points carry */
const STRUCTURE_TITLES: Record<(typeof STRUCTURE_KNOBS)[number], string> = {
  depth: 'depth (blocks per stage)',
  ffn: 'MLP ratio (ffn)',
  expand: 'expansion (expand)',
  dims: 'transformer dims',
};

export const tooltip = (ctx: FigureContext, ...extra: TooltipFieldDef<Field>[]): TooltipFieldDef<Field>[] => {
  const structure = STRUCTURE_KNOBS.filter((k) => ctx.data.some((d) => d[k] !== undefined && d[k] !== null));
  const at = TOOLTIP.findIndex((t) => t.field === 'resolution') + 1;
  const knobs = structure.map((k): TooltipFieldDef<Field> => ({ field: k, type: k === 'ffn' || k === 'expand' ? 'quantitative' : 'nominal', title: STRUCTURE_TITLES[k] }));
  return [...TOOLTIP.slice(0, at), ...knobs, ...TOOLTIP.slice(at), ...extra];
};

/** log scale when the values span more than a factor of 8 */
export function spanScale(values: number[]): { type: 'log'; nice: false; padding: number } | { type: 'linear'; zero: false; padding: number } {
  const pos = values.filter((v) => v > 0);
  // a nice log domain would round 2.8..85 out to 1..100 and squeeze the points
  if (pos.length > 0 && Math.max(...pos) / Math.min(...pos) > 8) return { type: 'log', nice: false, padding: 12 };
  return { type: 'linear', zero: false, padding: 12 };
}
