import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@mvbench/core';
import { compare, verdict } from './decide.ts';

/** synthetic latency samples: lognormal-ish noise around a median, with occasional slow outliers */
function samples(median: number, n: number, seed: number, noise = 0.03): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const g = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    return median * Math.exp(noise * g) * (r() < 0.03 ? 1.5 : 1);
  });
}

describe('regression decisions on synthetic samples', () => {
  it('equal distributions are the same, however many samples', () => {
    for (let s = 0; s < 40; s++) expect(compare(samples(10, 200, s), samples(10, 200, 1000 + s)).direction).toBe('same');
  });

  it('a 10% slowdown is slower; a 10% speed-up is faster', () => {
    const c = compare(samples(10, 100, 1), samples(11, 100, 2));
    expect(c.direction).toBe('slower');
    expect(c.ratio.ratio).toBeGreaterThan(1.07);
    expect(c.ratio.low).toBeGreaterThan(1);
    expect(c.pSlower).toBeLessThan(1e-6);
    expect(compare(samples(11, 100, 3), samples(10, 100, 4)).direction).toBe('faster');
  });

  it('a significant but small (2%) change stays below the minimum effect', () => {
    const c = compare(samples(10, 2000, 5, 0.01), samples(10.2, 2000, 6, 0.01));
    expect(c.pSlower).toBeLessThan(0.001);
    expect(c.direction).toBe('same');
    expect(compare(samples(10, 2000, 5, 0.01), samples(10.2, 2000, 6, 0.01), { minEffect: 0.01 }).direction).toBe('slower');
  });

  it('a large but noisy difference on few samples is not significant', () => {
    expect(compare(samples(10, 6, 7, 0.4), samples(11, 6, 8, 0.4)).direction).toBe('same');
  });

  it('a slower first run needs the confirmation run to agree', () => {
    const slow = compare(samples(10, 100, 9), samples(11, 100, 10));
    const same = compare(samples(10, 100, 11), samples(10, 100, 12));
    expect(verdict(slow, compare(samples(10, 100, 13), samples(11, 100, 14)))).toBe('regression');
    expect(verdict(slow, same)).toBe('noise');
    expect(verdict(same)).toBe('same');
    expect(() => verdict(slow)).toThrow(/confirmation/);
  });
});

describe('options that would switch the gate off', () => {
  it('a NaN minimum effect or significance level is refused, not read as "same"', () => {
    const base = samples(10, 50, 7), head = samples(15, 50, 8);
    expect(() => compare(base, head, { minEffect: NaN })).toThrow(/minEffect/);
    expect(() => compare(base, head, { alpha: NaN })).toThrow(/alpha/);
    expect(() => compare(base, head, { alpha: 0 })).toThrow(/alpha/);
  });
});
