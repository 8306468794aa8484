/**
 * Token scaling (plan `token-scaling`): per runner setting and attention kind, the time of the attention blocks and
 * of the whole model against the tokens k of the first attention block, fitted as time ~ k^e on log-log axes
 * (least squares, ml-regression-multivariate-linear, with the slope's t interval), and for MHSA where its quadratic
 * term overtakes the linear one (time = c + a k + b k^2, crossover k = a / b).
 *
 * The attention blocks' time is the per-node profile's attention scopes (`<stage> attention`, onnxruntime-node);
 * where rows carry no profile (onnxruntime-web) it is the model's median minus the same model's with
 * `attention=none` at the same resolution.
 */
import MLR from 'ml-regression-multivariate-linear';
import type { ResultRow } from '@mvbench/results';
import type { Interval } from './verdict.ts';

const ATTENTION_KINDS = ['mhsa', 'separable', 'additive'] as const;
type AttentionKind = (typeof ATTENTION_KINDS)[number];
type Series = 'attention blocks' | 'whole model';

export interface ScalingPoint {
  setting: string;
  kind: AttentionKind;
  series: Series;
  resolution: number;
  tokens: number;
  ms: number;
  /** how the attention time was obtained */
  source: 'profile' | 'minus attention=none' | 'latency';
}

export interface ScalingFit {
  setting: string;
  kind: AttentionKind;
  series: Series;
  /** e in time ~ k^e, with its 95% interval */
  exponent: Interval;
  /** the fitted line's value at the smallest and largest k measured, for drawing it */
  from: { tokens: number; ms: number };
  to: { tokens: number; ms: number };
  points: number;
}

interface Crossover {
  setting: string;
  /** tokens and resolution where b k^2 = a k; null when the fit has no positive linear or quadratic term */
  tokens: number | null;
  resolution: number | null;
  note: string;
}

export interface TokenScaling {
  /** the architecture swept: the canonical id its specs start from */
  model: string;
  points: ScalingPoint[];
  fits: ScalingFit[];
  crossovers: Crossover[];
}

/** a row of a model spec (an .onnx file's row has no knobs) */
type SpecRow = ResultRow & { knobs: NonNullable<ResultRow['knobs']> };
const hasKnobs = (r: ResultRow): r is SpecRow => !!r.knobs;

/** fewer resolutions than this per kind leave no interval for the exponent */
const MIN_POINTS = 3;

/** stride of the first attention block's feature map, and the side of a patch there */
function firstAttention(r: SpecRow): { stride: number; patch: number } | null {
  if (r.family === 'swiftformer') return { stride: 4, patch: 1 };
  if (r.family !== 'mobilevit' && r.family !== 'mobilevitv2') return null;
  const patch = r.knobs.patch === 'B' ? 8 : r.knobs.patch === 'A' || !r.knobs.patch ? 2 : Number(r.knobs.patch.split('x')[0]);
  return { stride: 8, patch };
}

/** tokens per sequence of the first attention block: (R / stride / patch)^2 */
function tokensOf(r: ResultRow): number | null {
  const a = hasKnobs(r) ? firstAttention(r) : null;
  return a ? (r.knobs!.resolution / a.stride / a.patch) ** 2 : null;
}

const attentionMs = (r: ResultRow) =>
  Object.entries(r.profile!.byScope).reduce((s, [scope, ms]) => (scope.endsWith(' attention') ? s + ms : s), 0);

// two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond, 2.0 (2.04 at 30, 1.98 at 120)
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** slope of log(ms) on log(tokens) with its 95% t interval, and the line's ends */
export function powerFit(pts: readonly { tokens: number; ms: number }[]): Omit<ScalingFit, 'setting' | 'kind' | 'series'> {
  const mlr = new MLR(pts.map((p) => [Math.log(p.tokens)]), pts.map((p) => [Math.log(p.ms)]), { statistics: true });
  const [slope, intercept] = [mlr.weights[0][0], mlr.weights[1][0]];
  const half = (T975[pts.length - 3] ?? 2) * mlr.stdErrors[0];
  const ks = pts.map((p) => p.tokens);
  const at = (tokens: number) => ({ tokens, ms: Math.exp(intercept + slope * Math.log(tokens)) });
  return { exponent: { value: slope, low: slope - half, high: slope + half }, from: at(Math.min(...ks)), to: at(Math.max(...ks)), points: pts.length };
}

function crossover(setting: string, pts: readonly ScalingPoint[], sideOf: (tokens: number) => number): Crossover {
  const mlr = new MLR(pts.map((p) => [p.tokens, p.tokens ** 2]), pts.map((p) => [p.ms]));
  const [a, b] = [mlr.weights[0][0], mlr.weights[1][0]];
  if (!(b > 0)) return { setting, tokens: null, resolution: null, note: 'no quadratic term in the measured range' };
  if (!(a > 0)) return { setting, tokens: null, resolution: null, note: 'the quadratic term dominates over the whole measured range' };
  const k = a / b;
  const [lo, hi] = [Math.min(...pts.map((p) => p.tokens)), Math.max(...pts.map((p) => p.tokens))];
  const where = k < lo ? 'below the measured range' : k > hi ? 'beyond the measured range (extrapolated)' : 'within the measured range';
  return { setting, tokens: k, resolution: sideOf(k), note: `quadratic term > linear above ${Math.round(k)} tokens (${Math.round(sideOf(k))} px), ${where}` };
}

const settingOf = (r: ResultRow) => `${r.runner} t${r.threads}`;

/**
 * The largest resolution sweep in the rows: one architecture (id, width, patch) with every attention kind at
 * several resolutions; null when the rows hold none.
 */
export function tokenScaling(rows: readonly ResultRow[]): TokenScaling | null {
  const measured = rows.filter(hasKnobs).filter((r) => r.latency && !r.error && tokensOf(r) !== null);
  const archOf = (r: SpecRow) => `${r.id}:width=${r.knobs.width},patch=${r.knobs.patch}`;
  const groups = new Map<string, SpecRow[]>();
  for (const r of measured) groups.set(`${archOf(r)}|${settingOf(r)}`, [...(groups.get(`${archOf(r)}|${settingOf(r)}`) ?? []), r]);
  const swept = [...groups.values()].filter((g) => ATTENTION_KINDS.every((k) => new Set(g.filter((r) => r.knobs.attention === k).map((r) => r.knobs.resolution)).size >= MIN_POINTS));
  if (!swept.length) return null;
  const counts = new Map<string, number>();
  for (const g of swept) counts.set(archOf(g[0]), (counts.get(archOf(g[0])) ?? 0) + g.length);
  const arch = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const points: ScalingPoint[] = [];
  const fits: ScalingFit[] = [];
  const crossovers: Crossover[] = [];
  for (const g of swept.filter((g) => archOf(g[0]) === arch)) {
    const setting = settingOf(g[0]);
    const none = new Map(g.filter((r) => r.knobs.attention === 'none').map((r) => [r.knobs.resolution, r.latency!.median]));
    const { stride, patch } = firstAttention(g[0])!;
    for (const kind of ATTENTION_KINDS) {
      const of = g.filter((r) => r.knobs.attention === kind).sort((a, b) => a.knobs.resolution - b.knobs.resolution);
      const base = (r: SpecRow) => ({ setting, kind, resolution: r.knobs.resolution, tokens: tokensOf(r)! });
      const model = of.map((r): ScalingPoint => ({ ...base(r), series: 'whole model', ms: r.latency!.median, source: 'latency' }));
      const attention = of.flatMap((r): ScalingPoint[] => {
        if (r.profile) return [{ ...base(r), series: 'attention blocks', ms: attentionMs(r), source: 'profile' }];
        const without = none.get(r.knobs.resolution);
        return without !== undefined && r.latency!.median > without ? [{ ...base(r), series: 'attention blocks', ms: r.latency!.median - without, source: 'minus attention=none' }] : [];
      });
      for (const series of [model, attention]) {
        points.push(...series);
        if (series.length >= MIN_POINTS) fits.push({ setting, kind, series: series[0].series, ...powerFit(series) });
      }
      if (kind === 'mhsa' && attention.length >= MIN_POINTS) crossovers.push(crossover(setting, attention, (k) => Math.sqrt(k) * stride * patch));
    }
  }
  const first = swept.find((g) => archOf(g[0]) === arch)![0];
  return { model: first.spec.split(':')[0], points, fits, crossovers };
}
