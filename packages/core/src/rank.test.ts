import { describe, expect, it } from 'vitest';
import { kendallTau } from './rank.ts';

describe('kendallTau', () => {
  it("Kendall's tau-b: identical order 1, reversed -1, ties handled, constant NaN", () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // by hand: 5 concordant pairs, 0 discordant, 1 tied in x only -> 5 / sqrt(6 * 5)
    expect(kendallTau([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(5 / Math.sqrt(30), 12);
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
