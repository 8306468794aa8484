import { describe, expect, it } from 'vitest';
import { cellMs, fixedFromCell, weightedBudgetMs, latencyFromMacs, learnScale, splitBudget, totalMs, type SplitInput } from './budget.ts';

const model = { processes: 3, minRuns: 20, warmupRuns: 10, fixedMs: 1000 };
const cells = (n: number, latencyMs: number) => Array.from({ length: n }, () => ({ latencyMs }));
const input = (over: Partial<SplitInput>): SplitInput => ({ ...model, remainingMs: 1e9, cells: cells(10, 10), maxBudgetMs: 2500, minBudgetMs: 200, ...over });

describe('splitBudget', () => {
  it('gives every cell the plan budget when time is plenty', () => {
    expect(splitBudget(input({}))).toBe(2500);
  });

  it('scales the budget down so the pessimistic total fits the remaining time', () => {
    const i = input({ remainingMs: 60_000 });
    const b = splitBudget(i);
    expect(b).toBeLessThan(2500);
    expect(b).toBeGreaterThan(200);
    expect(totalMs(i.cells, b, i)).toBeLessThanOrEqual(60_000);
    expect(totalMs(i.cells, b + 2, i)).toBeGreaterThan(60_000); // the largest that fits
  });

  it('never goes below the floor, even when nothing fits', () => {
    expect(splitBudget(input({ remainingMs: 1000 }))).toBe(200);
  });

  it('re-split after an overrun: less time left for the same cells means a smaller budget', () => {
    const first = splitBudget(input({ remainingMs: 60_000 }));
    const later = splitBudget(input({ remainingMs: 45_000, cells: cells(9, 10) }));
    expect(later).toBeLessThan(first);
  });

  it('weights: a weight-2 cell costs twice the timed budget, never more than the plan\'s; minRuns x latency is the least a cell takes', () => {
    expect(cellMs({ latencyMs: 10, weight: 2 }, 500, model) - cellMs({ latencyMs: 10 }, 500, model)).toBe(3 * 500);
    expect(weightedBudgetMs(2000, 2, 2500)).toBe(2500);
    expect(cellMs({ latencyMs: 10, weight: 2 }, 2000, { ...model, maxBudgetMs: 2500 }) - cellMs({ latencyMs: 10 }, 2000, { ...model, maxBudgetMs: 2500 })).toBe(3 * 500);
    expect(cellMs({ latencyMs: 100 }, 500, model)).toBe(3 * (1000 + 1000 + 2000));
  });
});

describe('estimates', () => {
  it('latency from MACs at the calibration speed, and the scale learned from finished cells', () => {
    expect(latencyFromMacs(5e8, 100, 1)).toBeCloseTo(10);
    expect(latencyFromMacs(5e8, 50, 2)).toBeCloseTo(40);
    expect(learnScale([], 3)).toBe(3);
    expect(learnScale([{ actualMs: 8, macsMs: 2 }, { actualMs: 6, macsMs: 2 }, { actualMs: 100, macsMs: 2 }], 3)).toBe(4);
  });

  it('fixed cost per process is wall time less the runs it made', () => {
    expect(fixedFromCell({ wallMs: 6000, processes: 3, runs: 90, latencyMs: 10 })).toBe(1700);
    expect(fixedFromCell({ wallMs: 100, processes: 1, runs: 90, latencyMs: 10 })).toBe(0);
  });
});
