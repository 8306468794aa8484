/**
 * The time budget and ETA of one sweep run: before each cell, the plan's measure.maxMinutes (if any) is split over
 * the cells left (packages/plan budget.ts) from the real clock; after each cell, what it cost teaches the estimates.
 *
 *   latency of a cell not yet run:  its MACs at the calibration MatMul's GFLOP/s (its thread count) x a scale
 *                                   learned from finished cells (prior: PRIOR_SCALE)
 *   fixed cost per process:         learned from finished cells (prior: the calibration child's start-up time)
 *   ETA:                            the pessimistic total of the cells left (no early convergence) x the ratio of
 *                                   actual to predicted wall time over finished cells
 */
import { cellMs, fixedFromCell, latencyFromMacs, learnScale, splitBudget, totalMs, weightedBudgetMs, type Cell, type CellEstimate, type CostModel, type Plan } from '@mvbench/plan';
import { gflopsAt, type Calibration, type ResultRow } from '@mvbench/results';

/**
 * model latency / MAC-based MatMul time before any cell ran: mobilevit_xxs gave 1.1-3.1 here (lower when the
 * calibration itself caught the neighbours' load); learned per thread count from the first finished cells
 */
const PRIOR_SCALE = 2;
/** without a calibration: an assumed 1-thread GFLOP/s (the scale is learned after the first cell anyway) */
const PRIOR_GFLOPS = 50;
const PRIOR_FIXED_MS = 1000;
const WARMUP_RUNS = 10;
/** below this the timed phase is mostly minRuns: budgets never go lower */
const MIN_BUDGET_MS = 150;
/** the cells the README and the profile figures quote get twice the share of the budget */
const weightOf = (c: Cell) => (c.profile ? 2 : 1);

export interface SweepBudgetOptions {
  plan: Plan;
  /** wall-clock start of the run (Date.now()) */
  startedAt: number;
  calibration?: Calibration;
  /** start-up cost of a child process as the calibration saw it, ms */
  childStartMs?: number;
  /** ms to keep in hand after the last cell (the end-of-run calibration) */
  reserveMs: number;
}

export interface SweepBudget {
  /** the per-process timed budget of `cell`, given the cells after it, in ms */
  budgetFor(cell: Cell, left: readonly Cell[], macsOf: (c: Cell) => number | null): number;
  /** expected ms until `left` are done */
  etaMs(left: readonly Cell[], macsOf: (c: Cell) => number | null): number;
  /** the line before the first cell: cells, estimate, and a warning when the limit cannot be met at all */
  startLine(todo: readonly Cell[], macsOf: (c: Cell) => number | null, budgetMs: number): string;
  /** a finished cell: its row and wall time */
  observe(cell: Cell, row: ResultRow, wallMs: number, macs: number | null): void;
}

export function createSweepBudget(o: SweepBudgetOptions): SweepBudget {
  const { plan } = o;
  const m = plan.measure;
  const deadline = m.maxMinutes ? o.startedAt + m.maxMinutes * 60_000 - o.reserveMs : undefined;
  const gflops = (threads: number) => (o.calibration ? gflopsAt(o.calibration, threads) : PRIOR_GFLOPS);
  const scales: { actualMs: number; macsMs: number; threads: number }[] = [];
  const fixed: number[] = [];
  let predicted = 0;
  let actual = 0;
  let lastBudget = m.budgetMs;

  const model = (): CostModel => ({
    processes: m.processes,
    minRuns: m.minRuns,
    warmupRuns: WARMUP_RUNS,
    fixedMs: fixed.length ? fixed.reduce((a, b) => a + b, 0) / fixed.length : (o.childStartMs ?? PRIOR_FIXED_MS),
    maxBudgetMs: m.budgetMs,
  });
  const estimate = (c: Cell, macsOf: (c: Cell) => number | null): CellEstimate => {
    const macs = macsOf(c);
    // per thread count: the second thread helps 1.07x on one instance, ~1.9x on another
    const scale = learnScale(scales.filter((x) => x.threads === c.threads), learnScale(scales, PRIOR_SCALE));
    // a model without MACs (failed to build): it fails fast too; count it as a small model
    return { latencyMs: macs ? latencyFromMacs(macs, gflops(c.threads), scale) : 1, weight: weightOf(c) };
  };
  const correction = () => (predicted > 0 ? actual / predicted : 1);

  return {
    budgetFor(cell, left, macsOf) {
      if (deadline === undefined) return (lastBudget = m.budgetMs);
      // the split gives one budget b for every cell (times its weight): the largest at which the cells left fit
      const cells = [cell, ...left].map((c) => estimate(c, macsOf));
      const b = splitBudget({ ...model(), remainingMs: deadline - Date.now(), cells, maxBudgetMs: m.budgetMs, minBudgetMs: Math.min(MIN_BUDGET_MS, m.budgetMs) });
      lastBudget = b;
      return Math.round(weightedBudgetMs(b, weightOf(cell), m.budgetMs));
    },
    etaMs(left, macsOf) {
      const cells = left.map((c) => estimate(c, macsOf));
      return totalMs(cells, lastBudget, model()) * correction();
    },
    startLine(todo, macsOf, budgetMs) {
      const min = (ms: number) => `${Math.ceil(ms / 60_000)} min`;
      const line = `${todo.length} cells, estimated ${min(this.etaMs(todo, macsOf))} (from the calibration and the MACs; refined after each cell)`;
      if (deadline === undefined) return line;
      const floor = totalMs(todo.map((c) => estimate(c, macsOf)), Math.min(MIN_BUDGET_MS, m.budgetMs), model());
      const left = deadline - Date.now();
      return floor > left
        ? `${line}; warning: the limit of ${m.maxMinutes} min cannot be met: even with minRuns (${m.minRuns}) runs per process the cells need ~${min(floor)}`
        : `${line} (limit ${m.maxMinutes} min: ${budgetMs} ms of timed runs per process for this cell)`;
    },
    observe(cell, row, wallMs, macs) {
      predicted += cellMs({ ...estimate(cell, () => macs), weight: weightOf(cell) }, lastBudget, model());
      actual += wallMs;
      const lat = row.latency?.median;
      if (!lat) return;
      if (macs) scales.push({ actualMs: lat, macsMs: latencyFromMacs(macs, gflops(cell.threads), 1), threads: cell.threads });
      const runs = (row.latency?.n ?? 0) + (row.warmupRuns ?? WARMUP_RUNS) * row.processes;
      fixed.push(fixedFromCell({ wallMs, processes: row.processes, runs, latencyMs: lat }));
    },
  };
}
