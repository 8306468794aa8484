import { describe, expect, it } from 'vitest';
import { validatePlan, type Cell } from '@mvbench/plan';
import type { Calibration, ResultRow } from '@mvbench/results';
import { createSweepBudget } from './sweep-budget.ts';

const plan = (maxMinutes?: number) =>
  validatePlan({ name: 'p', models: ['m'], runners: [{ runner: 'ort-node:cpu', threads: [1] }], measure: { budgetMs: 2000, minRuns: 10, processes: 3, maxMinutes } }, 'test');
const cal = { matmulGflops1: 100, matmulGflops2: 180 } as Calibration;
const cells: Cell[] = Array.from({ length: 20 }, (_, i) => ({ key: `c${i}`, spec: `m${i}`, runner: 'ort-node:cpu', threads: 1, graphOptimization: 'all', profile: false }));
const macsOf = () => 5e8; // 1 GFLOP: 10 ms at 100 GFLOP/s
const row = (medianMs: number) => ({ latency: { median: medianMs, n: 30 }, warmupRuns: 10, processes: 3 }) as ResultRow;

describe('sweep budget', () => {
  it('without a limit every cell gets the plan budget', () => {
    const b = createSweepBudget({ plan: plan(), startedAt: Date.now(), calibration: cal, childStartMs: 500, reserveMs: 0 });
    expect(b.budgetFor(cells[0], cells.slice(1), macsOf)).toBe(2000);
  });

  it('a limit the cells cannot fill at the plan budget scales it down, and the start line says what it chose', () => {
    const b = createSweepBudget({ plan: plan(1), startedAt: Date.now(), calibration: cal, childStartMs: 500, reserveMs: 0 });
    const budget = b.budgetFor(cells[0], cells.slice(1), macsOf);
    expect(budget).toBeLessThan(2000);
    expect(budget).toBeGreaterThanOrEqual(150);
    expect(b.startLine(cells, macsOf, budget)).toMatch(/^20 cells, estimated \d+ min .*\(limit 1 min: \d+ ms of timed runs per process/);
    const tight = createSweepBudget({ plan: plan(0.1), startedAt: Date.now(), calibration: cal, childStartMs: 500, reserveMs: 0 });
    expect(tight.startLine(cells, macsOf, 150)).toMatch(/warning: the limit of 0.1 min cannot be met/);
  });

  it('the ETA follows what finished cells cost: slower models and cells that took longer raise it', () => {
    const b = createSweepBudget({ plan: plan(), startedAt: Date.now(), calibration: cal, childStartMs: 500, reserveMs: 0 });
    b.budgetFor(cells[0], cells.slice(1), macsOf);
    const before = b.etaMs(cells.slice(1), macsOf);
    b.observe(cells[0], row(80), 3 * (500 + 40 * 80) * 2, 5e8); // 4x the prior latency, and twice the predicted wall time
    expect(b.etaMs(cells.slice(1), macsOf)).toBeGreaterThan(before);
  });
});
