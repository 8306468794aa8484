/**
 * Result rows -> flat data points for the figures. Only measured cells (latency set, no error) become points;
 * failed cells appear in the table. Labels that several figures share (runner setting, accuracy axis) live here.
 */
import { gflopsAt, paretoFront, type Accuracy, type Profile, type ResultRow } from '@mvbench/results';
import { msg } from './messages.ts';

export interface Datum {
  spec: string;
  id: string;
  family: string;
  canonical: boolean;
  /** null for an .onnx file's row (family 'onnx'): it has no knobs */
  width: number | null;
  patch: string | null;
  attention: string | null;
  resolution: number | null;
  /** structure knobs as built; absent in rows written before they existed (and null where they do not apply) */
  depth?: string | null;
  ffn?: number | null;
  expand?: number | null;
  dims?: string | null;
  runner: string;
  threads: number;
  threadsUsed: number | null;
  graphOptimization: string;
  /** runner + threads (+ graph optimisation when it varies): the unit that is compared like for like */
  setting: string;
  median: number;
  ciLow: number;
  ciHigh: number;
  p10: number;
  p90: number;
  n: number;
  paramsM: number | null;
  macsG: number | null;
  accuracy: number | null;
  accuracyKind: Accuracy['kind'];
  /** the axis this accuracy may be plotted on, e.g. 'ImageNet-1k val top-1 % (published)'; null for kind 'none' */
  accuracyAxis: string | null;
  accuracyDataset: string | null;
  accuracySource: string | null;
  /** on the Pareto front of its accuracy axis and setting */
  front: boolean;
  /** a latency predictor's estimate (ms) stored in the row, and its predictor's name; absent without one */
  predicted?: number;
  predictor?: string;
}

export interface FigureContext {
  data: Datum[];
  /** measured cells that carry a profile */
  profiled: { datum: Datum; profile: Profile }[];
  /** measured cells whose row carries a calibration: its MatMul GFLOP/s at the cell's thread count */
  calibrated: { datum: Datum; gflops: number }[];
  /** every setting in the report, in a stable order, so colours match across figures */
  settings: string[];
  /** e.g. '95%' */
  ciLevel: string;
  provenance: string;
}

export const isMeasured = (r: ResultRow): boolean => r.latency !== null && r.error === null;

export function accuracyAxis(a: Accuracy): string | null {
  if (a.kind === 'none' || a.value === null) return null;
  if (a.kind === 'zero-cost') return `${a.metric ?? 'score'} (zero-cost proxy, not accuracy)`;
  const metric = !a.metric || a.metric === 'top1' ? 'top-1 %' : a.metric;
  return `${a.dataset ?? 'unknown dataset'} ${metric} (${a.kind})`;
}

export function settingOf(r: ResultRow, withOptimization: boolean): string {
  const used = r.threadsUsed !== null && r.threadsUsed !== r.threads ? ` (${r.threadsUsed} used)` : '';
  return `${r.runner} · ${msg.threads(r.threads)}${used}${withOptimization ? ` · opt ${r.graphOptimization}` : ''}`;
}

/** rows on the Pareto front of their (accuracy axis, setting) group */
function frontRows(rows: readonly ResultRow[], setting: (r: ResultRow) => string): Set<ResultRow> {
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const axis = accuracyAxis(r.accuracy);
    if (!axis || !isMeasured(r)) continue;
    const key = `${axis}\u0000${setting(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return new Set([...groups.values()].flatMap((g) => paretoFront(g).map((p) => p.row)));
}

export const STRUCTURE_KNOBS = ['depth', 'ffn', 'expand', 'dims'] as const;

/** the structure knobs a row carries (none in rows written before they existed, so their data stays as it was) */
const structureOf = (r: ResultRow): Pick<Datum, (typeof STRUCTURE_KNOBS)[number]> =>
  Object.fromEntries(STRUCTURE_KNOBS.filter((k) => r.knobs?.[k] !== undefined).map((k) => [k, r.knobs?.[k]]));

/** the structure knobs of a point, for keys that group points as the same model apart from one knob */
export const structureKey = (d: Datum, knobs: readonly (typeof STRUCTURE_KNOBS)[number][] = STRUCTURE_KNOBS): string[] =>
  knobs.filter((k) => d[k] !== undefined).map((k) => `${k}=${d[k]}`);

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function figureContext(rows: readonly ResultRow[], provenance: string): FigureContext {
  const withOptimization = new Set(rows.map((r) => r.graphOptimization)).size > 1;
  const setting = (r: ResultRow) => settingOf(r, withOptimization);
  const front = frontRows(rows, setting);
  const measured = rows.filter(isMeasured);
  const data = measured.map((r): Datum => {
    const l = r.latency!;
    return {
      spec: r.spec, id: r.id, family: r.family, canonical: r.canonical,
      width: r.knobs?.width ?? null, patch: r.knobs?.patch ?? null, attention: r.knobs?.attention ?? null, resolution: r.knobs?.resolution ?? null,
      ...structureOf(r),
      runner: r.runner, threads: r.threads, threadsUsed: r.threadsUsed, graphOptimization: r.graphOptimization, setting: setting(r),
      median: round(l.median, 4), ciLow: round(l.ciLow, 4), ciHigh: round(l.ciHigh, 4), p10: round(l.p10, 4), p90: round(l.p90, 4), n: l.n,
      paramsM: r.params === null ? null : round(r.params / 1e6, 4),
      macsG: r.macs === null ? null : round(r.macs / 1e9, 4),
      accuracy: r.accuracy.value, accuracyKind: r.accuracy.kind, accuracyAxis: accuracyAxis(r.accuracy),
      accuracyDataset: r.accuracy.dataset, accuracySource: r.accuracy.source,
      front: front.has(r),
      ...(r.predicted && { predicted: round(r.predicted.ms, 4), predictor: r.predicted.predictor }),
    };
  });
  const profiled = measured.flatMap((r, i) => (r.profile ? [{ datum: data[i], profile: r.profile }] : []));
  const settings = [...new Set([...measured].sort(bySetting).map(setting))];
  const calibrated = measured.flatMap((r, i) => (r.env?.calibration ? [{ datum: data[i], gflops: gflopsAt(r.env.calibration, r.threads) }] : []));
  const levels = [...new Set(rows.flatMap((r) => (r.latency ? [r.latency.ciLevel] : [])))];
  const level = levels.length === 1 ? `${round(levels[0] * 100, 1)}%` : levels.map((l) => `${round(l * 100, 1)}%`).join('/') || '95%';
  // cells with fewer than 6 runs have [min, max] as their interval, which covers less: the figures must not claim 95% for them
  const low = measured.filter((r) => r.latency!.ciCoverage !== undefined && r.latency!.ciCoverage < r.latency!.ciLevel).length;
  const ciLevel = low ? `${level} (${msg.lowCoverageCells(low)})` : level;
  return { data, profiled, calibrated, settings, ciLevel, provenance };
}

const bySetting = (a: ResultRow, b: ResultRow) =>
  a.runner.localeCompare(b.runner) || a.threads - b.threads || a.graphOptimization.localeCompare(b.graphOptimization);
