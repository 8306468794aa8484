import { describe, expect, it } from 'vitest';
import { hypervolume } from '@mvbench/core';
import { crowdingDistance, dominates, nonDominatedSort, survivors, type Point } from './nsga2.ts';

const p = (objectives: number[], violation = 0): Point => ({ objectives, violation });

describe('NSGA-II selection', () => {
  it('constrained domination: feasible first, then less violation, then Pareto dominance', () => {
    expect(dominates(p([5, 5]), p([1, 1], 0.1))).toBe(true);
    expect(dominates(p([5, 5], 0.2), p([1, 1], 0.5))).toBe(true);
    expect(dominates(p([1, 2]), p([2, 2]))).toBe(true);
    expect(dominates(p([1, 2]), p([1, 2]))).toBe(false);
    expect(dominates(p([1, 3]), p([2, 2]))).toBe(false);
  });

  it('sorts into fronts, best first', () => {
    const pts = [p([1, 4]), p([2, 2]), p([4, 1]), p([3, 3]), p([5, 5]), p([0, 0], 1)];
    expect(nonDominatedSort(pts)).toEqual([[0, 1, 2], [3], [4], [5]]);
  });

  it('crowding distance: extremes infinite, inner points by the normalised gap of their neighbours', () => {
    const pts = [p([0, 4]), p([1, 2]), p([2, 1]), p([4, 0])];
    const d = crowdingDistance(pts, [0, 1, 2, 3]);
    expect(d.get(0)).toBe(Infinity);
    expect(d.get(3)).toBe(Infinity);
    expect(d.get(1)).toBeCloseTo(2 / 4 + 3 / 4);
    expect(d.get(2)).toBeCloseTo(3 / 4 + 2 / 4);
  });

  it('survivors fill whole fronts and cut the last by crowding distance', () => {
    const pts = [p([0, 10]), p([1, 9]), p([5, 5]), p([10, 0]), p([11, 11])];
    const kept = survivors(pts, 3).map((s) => s.index);
    expect(kept).toHaveLength(3);
    expect(kept).toContain(0);
    expect(kept).toContain(3);
    expect(kept).toContain(2); // (1, 9) sits next to (0, 10): less crowding distance than (5, 5)
    expect(survivors(pts, 5).at(-1)).toEqual({ index: 4, ranked: { rank: 1, crowding: Infinity } });
  });
});

describe('hypervolume', () => {
  it('2-D: the union of the boxes up to the reference point', () => {
    expect(hypervolume([[1, 2], [2, 1]], [3, 3])).toBe(3);
    expect(hypervolume([[1, 2], [2, 1], [2, 2], [4, 0]], [3, 3])).toBe(3);
    expect(hypervolume([], [3, 3])).toBe(0);
  });

  it('3-D: the union of the boxes, overlaps counted once', () => {
    expect(hypervolume([[1, 1, 2], [2, 2, 1]], [3, 3, 3])).toBe(5);
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBe(1);
    expect(hypervolume([[1, 1, 1], [1.5, 1.5, 1.5]], [2, 2, 2])).toBe(1);
  });
});
