/**
 * A sweep's total time budget (measure.maxMinutes) split over its remaining cells. Pure functions: the sweep calls
 * them before every cell with the real remaining time, so an early overrun is absorbed by the cells after it.
 *
 *   cell wall time ~ processes x (fixed + warmupRuns x latency + timed)
 *     fixed:  spawn, module load, session creation, first run, profile (learned from finished cells)
 *     timed:  the timed phase; it stops at convergence or at its budget b, and never before minRuns runs,
 *             so it is max(b x weight, minRuns x latency) when the cell does not converge (the pessimistic case)
 *
 * `splitBudget` finds the largest b <= the plan's budgetMs whose pessimistic total fits the remaining time (never
 * below a floor: below it, minRuns alone decides). Heavier cells are not given more: minRuns already protects them.
 */

export interface CellEstimate {
  /** expected median latency, ms */
  latencyMs: number;
  /** share of the timed budget relative to other cells (default 1): e.g. 2 for the canonical models */
  weight?: number;
}

export interface CostModel {
  processes: number;
  minRuns: number;
  /** warm-up runs per process (10: two windows of 5 that agree) */
  warmupRuns: number;
  /** fixed cost per process, ms */
  fixedMs: number;
  /** the plan's measure.budgetMs: a weighted budget never exceeds it */
  maxBudgetMs?: number;
}

export interface SplitInput extends CostModel {
  remainingMs: number;
  cells: readonly CellEstimate[];
  maxBudgetMs: number;
  /** the floor of the budget, ms */
  minBudgetMs: number;
}

/** the timed budget of a cell of weight `weight` when the split gives `budgetMs`: never above the plan's */
export const weightedBudgetMs = (budgetMs: number, weight = 1, maxBudgetMs = Infinity): number => Math.min(budgetMs * weight, maxBudgetMs);

/** a cell's pessimistic wall time with timed-phase budget `budgetMs` per process */
export const cellMs = (c: CellEstimate, budgetMs: number, m: CostModel): number =>
  m.processes * (m.fixedMs + m.warmupRuns * c.latencyMs + Math.max(weightedBudgetMs(budgetMs, c.weight, m.maxBudgetMs), m.minRuns * c.latencyMs));

export const totalMs = (cells: readonly CellEstimate[], budgetMs: number, m: CostModel): number =>
  cells.reduce((s, c) => s + cellMs(c, budgetMs, m), 0);

/** the per-process timed budget (ms, before each cell's weight) that fits the remaining cells into remainingMs */
export function splitBudget(i: SplitInput): number {
  if (totalMs(i.cells, i.maxBudgetMs, i) <= i.remainingMs) return i.maxBudgetMs;
  if (totalMs(i.cells, i.minBudgetMs, i) >= i.remainingMs) return i.minBudgetMs;
  let [lo, hi] = [i.minBudgetMs, i.maxBudgetMs]; // total(lo) < remaining < total(hi); total is monotone in b
  for (let k = 0; k < 40 && hi - lo > 1; k++) {
    const mid = (lo + hi) / 2;
    if (totalMs(i.cells, mid, i) <= i.remainingMs) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo);
}

/**
 * Expected latency of a cell before it ran: its MACs at the calibration MatMul's speed for its thread count, times
 * `scale` (how many times slower than the MatMul models run; learned from finished cells, see learnScale).
 */
export const latencyFromMacs = (macs: number, gflops: number, scale: number): number => ((2 * macs) / (gflops * 1e9)) * 1000 * scale;

/** median of actual / MAC-based latency over finished cells; `prior` while none finished */
export function learnScale(done: readonly { actualMs: number; macsMs: number }[], prior: number): number {
  const r = done.filter((d) => d.actualMs > 0 && d.macsMs > 0).map((d) => d.actualMs / d.macsMs).sort((a, b) => a - b);
  if (!r.length) return prior;
  const mid = r.length >> 1;
  return r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2;
}

/**
 * Fixed cost per process from a finished cell: its wall time less the runs it made (warm-up and timed), per
 * process. Never below 0.
 */
export const fixedFromCell = (c: { wallMs: number; processes: number; runs: number; latencyMs: number }): number =>
  Math.max(0, c.wallMs / c.processes - (c.runs / c.processes) * c.latencyMs);
