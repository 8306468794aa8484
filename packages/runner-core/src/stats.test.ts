import { describe, expect, test } from 'vitest';
import { mulberry32 } from '@mvbench/core';
import { bootstrapRatioCI, mannWhitneyU, medianCiRanks, summarize, tukeyFilter, windowMedians } from './stats.ts';

describe('summarize', () => {
  test('five samples: quantiles by interpolation, CI falls back to [min, max]', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ n: 5, median: 3, mean: 3, min: 1, max: 5, ciLow: 1, ciHigh: 5, ciLevel: 0.95 });
    expect(s.p10).toBeCloseTo(1.4, 12); // index 0.4 between 1 and 2
    expect(s.p90).toBeCloseTo(4.6, 12);
    expect(s.stdev).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.ciCoverage).toBeCloseTo(1 - 2 / 32, 12); // no 95% interval exists below n = 6
    expect(s.relCiHalfWidth).toBeCloseTo(2 / 3, 12);
  });

  test('twenty samples: the CI is [x(6), x(15)] with coverage 1 - 2 P(B <= 5)', () => {
    const samples = Array.from({ length: 20 }, (_, i) => ((i * 7) % 20) + 1); // 1..20, shuffled
    const s = summarize(samples);
    expect(s).toMatchObject({ n: 20, median: 10.5, ciLow: 6, ciHigh: 15 });
    // P(B <= 5) = (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20 = 21700 / 1048576
    expect(s.ciCoverage).toBeCloseTo(1 - (2 * 21700) / 1048576, 12);
    expect(s.relCiHalfWidth).toBeCloseTo(4.5 / 10.5, 12);
  });

  test('one sample and constant samples', () => {
    expect(summarize([7])).toMatchObject({ n: 1, median: 7, stdev: 0, ciLow: 7, ciHigh: 7, relCiHalfWidth: 0 });
    expect(summarize(Array(30).fill(2))).toMatchObject({ median: 2, stdev: 0, relCiHalfWidth: 0 });
    expect(() => summarize([])).toThrow(/no samples/);
  });

  test('does not reorder its input', () => {
    const x = [3, 1, 2];
    summarize(x);
    expect(x).toEqual([3, 1, 2]);
  });
});

describe('medianCiRanks', () => {
  test('exact binomial ranks', () => {
    expect(medianCiRanks(6)).toEqual({ lo: 0, hi: 5, coverage: 1 - 2 / 64 });
    expect(medianCiRanks(5).coverage).toBeCloseTo(0.9375, 12);
    // n = 100: x(40)..x(61), coverage 0.96480 (x(41)..x(60) would cover only 0.94311)
    expect(medianCiRanks(100)).toMatchObject({ lo: 39, hi: 60 });
    expect(medianCiRanks(100).coverage).toBeCloseTo(0.9647998, 6);
  });

  test('coverage stays at or above 95% and the ranks are symmetric', () => {
    for (const n of [6, 7, 19, 20, 21, 57, 500, 2000]) {
      const { lo, hi, coverage } = medianCiRanks(n);
      expect(coverage).toBeGreaterThanOrEqual(0.95);
      expect(lo + hi).toBe(n - 1);
    }
  });

  test('the normal approximation above 10000 agrees with the exact ranks near the switch', () => {
    const exact = medianCiRanks(10_000); // 1.96 sqrt(n) / 2 = 98 ranks either side
    const approx = medianCiRanks(10_001);
    expect(exact).toMatchObject({ lo: 4901, hi: 5098 });
    expect(approx).toMatchObject({ lo: 4901, hi: 5099 });
  });
});

test('tukeyFilter drops only what lies outside Q1 - 1.5 IQR .. Q3 + 1.5 IQR', () => {
  const r = tukeyFilter([1, 2, 3, 4, 5, 6, 7, 8, 40]);
  expect(r.fenceLow).toBeCloseTo(3 - 1.5 * 4, 12); // quartiles of the 9 values: 3 and 7
  expect(r.fenceHigh).toBeCloseTo(7 + 1.5 * 4, 12);
  expect(r).toMatchObject({ kept: [1, 2, 3, 4, 5, 6, 7, 8], removed: 1 });
  expect(tukeyFilter([1, 2, 3]).removed).toBe(0);
});

test('windowMedians: consecutive full windows only', () => {
  expect(windowMedians([3, 1, 2, 10, 30, 20, 7], 3)).toEqual([2, 20]);
  expect(windowMedians([4, 1, 3, 2], 2)).toEqual([2.5, 2.5]);
  expect(windowMedians([1], 2)).toEqual([]);
});

describe('bootstrapRatioCI', () => {
  test('two samples against one: resampled medians 1, 2, 3 with probabilities 1/4, 1/2, 1/4', () => {
    const r = bootstrapRatioCI([1, 3], [1], { iterations: 4000, seed: 3 });
    expect(r).toMatchObject({ ratio: 2, low: 1, high: 3, level: 0.95, iterations: 4000, seed: 3 });
  });

  test('constant sets give a degenerate interval at the exact ratio', () => {
    expect(bootstrapRatioCI([2, 2, 2], [1, 1], { iterations: 100, seed: 1 })).toMatchObject({ ratio: 2, low: 2, high: 2 });
  });

  test('seeded: the same seed repeats, another seed differs; the interval holds the point estimate', () => {
    const rand = mulberry32(42);
    const a = Array.from({ length: 80 }, () => 10 + rand());
    const b = Array.from({ length: 60 }, () => 5 + rand());
    const r1 = bootstrapRatioCI(a, b, { iterations: 500, seed: 7 });
    expect(bootstrapRatioCI(a, b, { iterations: 500, seed: 7 })).toEqual(r1);
    expect(bootstrapRatioCI(a, b, { iterations: 500, seed: 8 })).not.toEqual(r1);
    expect(r1.low).toBeLessThan(r1.ratio);
    expect(r1.high).toBeGreaterThan(r1.ratio);
    expect(r1.low).toBeGreaterThan(10 / 6);
    expect(r1.high).toBeLessThan(11 / 5);
  });
});

test('mulberry32 is deterministic and uniform in [0, 1)', () => {
  const a = mulberry32(1);
  const b = mulberry32(1);
  const xs = Array.from({ length: 1000 }, () => a());
  expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
});

describe('mannWhitneyU', () => {
  test('no overlap: U = 0, z = -(3 - 0.5) / sqrt(3)', () => {
    // mu = 3 * 2 / 2 = 3, sigma^2 = 3 * 2 / 12 * (5 + 1) = 3
    const r = mannWhitneyU([1, 2, 3], [4, 5]);
    expect(r.u).toBe(0);
    expect(r.z).toBeCloseTo(-2.5 / Math.sqrt(3), 12);
    expect(r.p).toBeCloseTo(0.148914673, 6); // scipy.stats.mannwhitneyu(..., method='asymptotic')
    expect(mannWhitneyU([4, 5], [1, 2, 3]).u).toBe(6);
  });

  test('ties: average ranks and the tie-corrected variance', () => {
    // pooled 1 2 2 2 3 3 4 5 -> ranks 1, 3, 3, 3, 5.5, 5.5, 7, 8; rank sum of a = 12.5, U = 12.5 - 10 = 2.5
    // ties: (3^3 - 3) + (2^3 - 2) = 30; sigma^2 = 16 / 12 * (9 - 30 / 56); z = -(8 - 2.5 - 0.5) / sigma
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 5]);
    expect(r.u).toBe(2.5);
    expect(r.z).toBeCloseTo(-5 / Math.sqrt((16 / 12) * (9 - 30 / 56)), 12);
    expect(r.p).toBeCloseTo(0.136658248, 6);
  });

  test('clear separation and all-equal samples', () => {
    const r = mannWhitneyU([10, 11, 12, 13, 14, 15, 16, 17], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.u).toBe(72);
    expect(r.p).toBeCloseTo(0.000635508, 6);
    expect(mannWhitneyU([3, 3], [3, 3, 3])).toEqual({ u: 3, z: 0, p: 1 });
  });
});
