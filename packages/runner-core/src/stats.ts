import { mulberry32 } from '@mvbench/core';
/**
 * Latency statistics. The median is the headline number; its 95% confidence interval is distribution-free:
 * the order statistics x(k) <= median <= x(n+1-k) cover the true median with probability 1 - 2 P(B <= k-1),
 * B ~ Binomial(n, 1/2), whatever the shape of the latency distribution (skewed, multimodal). k is computed from
 * the exact binomial up to EXACT_MAX_N runs and from the normal approximation n/2 ± 1.96 sqrt(n)/2 above.
 */
import {
  binomialDistribution,
  errorFunction,
  mean,
  median,
  quantileSorted,
  sampleStandardDeviation,
  sampleWithReplacement,
  wilcoxonRankSum,
} from 'simple-statistics';

export const CI_LEVEL = 0.95;
const Z95 = 1.959963984540054;
const EXACT_MAX_N = 10_000;

export interface LatencyStats {
  n: number;
  median: number;
  p10: number;
  p90: number;
  mean: number;
  stdev: number; // sample standard deviation (n - 1)
  min: number;
  max: number;
  ciLow: number; // confidence interval of the median (order statistics)
  ciHigh: number;
  ciLevel: typeof CI_LEVEL;
  ciCoverage: number; // actual coverage of [ciLow, ciHigh]: >= ciLevel once n >= 6, less below (then [min, max])
  relCiHalfWidth: number; // (ciHigh - ciLow) / 2 / median
}

export function summarize(samplesMs: readonly number[]): LatencyStats {
  if (samplesMs.length === 0) throw new Error('summarize: no samples');
  const s = [...samplesMs].sort((a, b) => a - b);
  const n = s.length;
  const { lo, hi, coverage } = medianCiRanks(n);
  const med = quantileSorted(s, 0.5);
  return {
    n,
    median: med,
    p10: quantileSorted(s, 0.1),
    p90: quantileSorted(s, 0.9),
    mean: mean(s),
    stdev: n > 1 ? sampleStandardDeviation(s) : 0,
    min: s[0],
    max: s[n - 1],
    ciLow: s[lo],
    ciHigh: s[hi],
    ciLevel: CI_LEVEL,
    ciCoverage: coverage,
    relCiHalfWidth: (s[hi] - s[lo]) / 2 / med,
  };
}

export interface MedianCiRanks {
  lo: number; // 0-based index into the sorted samples
  hi: number;
  coverage: number;
}

const ranksMemo: MedianCiRanks[] = [];

/** Indices of the order statistics bounding the 95% CI of the median of n samples (memoized, O(1) once known). */
export function medianCiRanks(n: number): MedianCiRanks {
  if (!Number.isInteger(n) || n < 1) throw new Error(`medianCiRanks: n must be a positive integer, got ${n}`);
  return (ranksMemo[n] ??= n > EXACT_MAX_N ? normalRanks(n) : exactRanks(n));
}

function exactRanks(n: number): MedianCiRanks {
  const pmf = binomialDistribution(n, 0.5)!;
  // largest k with 2 P(B <= k-1) <= 1 - level; k = 0 means no such k (n < 6): fall back to [min, max]
  let k = 0;
  let tail = 0; // P(B <= k-1)
  while (2 * (tail + pmf[k]) <= 1 - CI_LEVEL) tail += pmf[k++];
  if (k === 0) return { lo: 0, hi: n - 1, coverage: 1 - 2 * pmf[0] };
  return { lo: k - 1, hi: n - k, coverage: 1 - 2 * tail };
}

function normalRanks(n: number): MedianCiRanks {
  const half = (Z95 * Math.sqrt(n)) / 2;
  // 1-based ranks floor(n/2 - half) and ceil(n/2 + 1 + half), conservative rounding
  return { lo: Math.floor(n / 2 - half) - 1, hi: Math.ceil(n / 2 + 1 + half) - 1, coverage: CI_LEVEL };
}

export interface TukeyFiltered {
  kept: number[]; // in the original order
  removed: number;
  fenceLow: number; // Q1 - k IQR
  fenceHigh: number; // Q3 + k IQR
}

/** Samples inside Tukey's fences (quartiles by linear interpolation, numpy's default). */
export function tukeyFilter(samples: readonly number[], k = 1.5): TukeyFiltered {
  const s = [...samples].sort((a, b) => a - b);
  const q1 = quantileSorted(s, 0.25);
  const q3 = quantileSorted(s, 0.75);
  const fenceLow = q1 - k * (q3 - q1);
  const fenceHigh = q3 + k * (q3 - q1);
  const kept = samples.filter((x) => x >= fenceLow && x <= fenceHigh);
  return { kept, removed: samples.length - kept.length, fenceLow, fenceHigh };
}

/**
 * Medians of consecutive windows of `window` samples (a trailing partial window is left out). Their minimum is
 * the level of the fastest sustained stretch: interference on a shared machine comes in regimes lasting seconds
 * and only ever adds time.
 */
export function windowMedians(samples: readonly number[], window: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + window <= samples.length; i += window) out.push(median(samples.slice(i, i + window)));
  return out;
}

export interface RatioCI {
  ratio: number; // median(a) / median(b)
  low: number;
  high: number;
  level: number;
  iterations: number;
  seed: number;
}

/**
 * Percentile-bootstrap CI of median(a) / median(b): both sets resampled independently with replacement, from a
 * seeded PRNG, so the same inputs and seed always give the same interval.
 */
export function bootstrapRatioCI(
  a: readonly number[],
  b: readonly number[],
  { iterations = 2000, seed = 1, level = CI_LEVEL }: { iterations?: number; seed?: number; level?: number } = {},
): RatioCI {
  if (a.length === 0 || b.length === 0) throw new Error('bootstrapRatioCI: both sample sets need samples');
  const rand = mulberry32(seed);
  const xa = [...a];
  const xb = [...b];
  const ratios = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    ratios[i] = median(sampleWithReplacement(xa, xa.length, rand)) / median(sampleWithReplacement(xb, xb.length, rand));
  }
  const sorted = Array.from(ratios.sort());
  const alpha = (1 - level) / 2;
  return {
    ratio: median(xa) / median(xb),
    low: quantileSorted(sorted, alpha),
    high: quantileSorted(sorted, 1 - alpha),
    level,
    iterations,
    seed,
  };
}

export interface MannWhitney {
  u: number; // U of a: pairs (a_i, b_j) with a_i > b_j, ties counted 1/2
  z: number; // standardized, with continuity correction; sign of u - na nb / 2
  p: number; // two-sided
}

/**
 * Mann-Whitney U test, normal approximation with tie correction and continuity correction
 * (matches scipy.stats.mannwhitneyu(a, b, method='asymptotic')).
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw new Error('mannWhitneyU: both sample sets need samples');
  const u = wilcoxonRankSum([...a], [...b]) - (na * (na + 1)) / 2;
  const n = na + nb;
  const pooled = [...a, ...b].sort((x, y) => x - y);
  let ties = 0; // sum of t^3 - t over groups of equal values
  for (let i = 0, j = 0; i < n; i = j) {
    while (j < n && pooled[j] === pooled[i]) j++;
    ties += (j - i) ** 3 - (j - i);
  }
  const sigma = Math.sqrt(((na * nb) / 12) * (n + 1 - ties / (n * (n - 1))));
  const d = u - (na * nb) / 2;
  if (sigma === 0) return { u, z: 0, p: 1 };
  const z = (Math.sign(d) * Math.max(0, Math.abs(d) - 0.5)) / sigma;
  return { u, z, p: Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2)) };
}
