/**
 * The sweep: plan -> cells -> (per spec) build + emit once -> (per cell) measure in an isolated child ->
 * one appended, fsynced row per cell. Never two measurements at once; a failed cell is a row. What the user sees
 * (progress, lines, warnings, the summary and the report) is the caller's: it comes out through `events`.
 */
import type { ModelSpec } from '@mvbench/dsl';
import { cellsToRun, type Cell, type Plan } from '@mvbench/plan';
import { appendRow, ensureWritable, readRows, repairJsonlTail, type Accuracy, type PredictedLatency, type ResultRow } from '@mvbench/results';
import { accuracyFor } from '@mvbench/accuracy';
import { describeCalibration, driftWarning, makeRow, makeTempDir, measureCalibration, measureCell, releaseShared, removeStaleTempDirs, type CellOutcome } from '@mvbench/cell';
import { environmentFingerprint, type Calibration } from '@mvbench/runner-core';
import { existsSync } from 'node:fs';
import { createSweepBudget } from './sweep-budget.ts';
import { instructionsOf } from './instructions.ts';
import { onnxAccuracy } from './onnx-cell.ts';
import { cellEmitter, PROFILE_RUNS } from './emit-cell.ts';

/** a progress display of one run, created once the cells and the ETA are known */
export interface SweepProgress {
  start(cell: Cell): void;
  done(row: ResultRow): void;
  stop(): void;
  /** what the current cell is doing besides measuring, e.g. its spec's proxy training ('step 120/300 ...') */
  note?(text: string): void;
}

/** how a run reports to its caller; the package writes nothing to the console */
export interface SweepEvents {
  /** progress lines: the calibrations, the cell count and estimate before the first cell */
  log(line: string): void;
  /** what the user must see even without progress (a calibration drift) */
  warn(line: string): void;
  /** `total` cells, `already` of them finished before (resumed); `etaMs` estimates the ms left */
  progress(total: number, already: number, etaMs: () => number): SweepProgress;
  /** SIGINT/SIGTERM: the temporary files are gone and `newRows` rows are in the results file; the process then exits (130/143) */
  interrupted(signal: 'SIGINT' | 'SIGTERM', newRows: number): void;
}

export interface SweepOptions {
  plan: Plan;
  /** the results file (JSONL, appended) */
  out: string;
  resume: boolean;
  shard?: { index: number; count: number };
  events: SweepEvents;
  /** with resume: measure again the cells whose row has an error / was measured under competing load */
  retryFailed?: boolean;
  retryContended?: boolean;
  /** run a grid larger than MAX_CELLS_WITHOUT_YES */
  yes?: boolean;
  /** a latency predictor's estimate for a cell, stored in its row beside the measurement (undefined: none) */
  predict?: (spec: ModelSpec, cell: Cell) => PredictedLatency | undefined;
}

export interface SweepResult {
  sweep: string;
  file: string;
  rows: ResultRow[];
  skipped: number;
  /** the machine's calibration at the start (in every new row's env) and at the end of the run */
  calibration: { start?: Calibration; end?: Calibration };
}


function resumeState(file: string, plan: Plan, shardTag: string): { sweep?: string; done: Map<string, ResultRow> } {
  if (!existsSync(file)) return { done: new Map() };
  const rows = readRows(file).rows.filter((r) => r.plan === plan.name && r.sweep.endsWith(shardTag));
  const sweep = rows.at(-1)?.sweep;
  return { sweep, done: new Map(rows.filter((r) => r.sweep === sweep).map((r) => [r.cell, r])) };
}

/** the run's sweep name and the rows it keeps per cell: with resume, the last sweep of the plan in the file minus the
 *  cells to measure again; otherwise a new sweep (a queue's coordinator resumes the same way) */
export function resumeSweep(opts: Pick<SweepOptions, 'plan' | 'out' | 'resume' | 'retryFailed' | 'retryContended'>, shardTag = ''): { sweep: string; done: Map<string, ResultRow> } {
  const { plan } = opts;
  ensureWritable(opts.out);
  repairJsonlTail(opts.out); // before reading what is done: a row cut by a kill is measured again
  const previous = opts.resume ? resumeState(opts.out, plan, shardTag) : { done: new Map<string, ResultRow>() };
  // retried cells get a new row after the old one; every reader takes the latest row per cell (latestPerCell)
  for (const [key, r] of previous.done) if ((opts.retryFailed && r.error) || (opts.retryContended && r.load?.contended)) previous.done.delete(key);
  return { sweep: previous.sweep ?? `${plan.name}-${new Date().toISOString().replace(/[:.]/g, '-')}${shardTag}`, done: previous.done };
}

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const { plan, events } = opts;
  const previous = resumeSweep(opts, opts.shard ? `-shard${opts.shard.index}of${opts.shard.count}` : '');
  const sweep = previous.sweep;
  removeStaleTempDirs();
  const cells: Cell[] = cellsToRun(plan, opts.shard, opts.yes ?? false);
  const todo = cells.filter((c) => !previous.done.has(c.key));
  const env = environmentFingerprint();
  const work = makeTempDir('mvbench-sweep');
  const { emit, emitted } = cellEmitter(work.dir, plan.seed);
  const rows: ResultRow[] = [...previous.done.values()];
  // the calibration first: every new row carries it, and the budget and ETA start from it
  const runStart = Date.now();
  const log = events.log;
  const start = await measureCalibration(log);
  if (start.calibration) log(`calibration: ${describeCalibration((env.calibration = start.calibration))}`);
  const budget = createSweepBudget({ plan, startedAt: runStart, calibration: start.calibration, childStartMs: start.calibration && start.wallMs - start.calibration.durationMs, reserveMs: start.wallMs });
  const macsOf = (c: Cell) => (c.onnx ? c.onnx.macs : (emitted(c.spec)?.info?.macs ?? null));
  let left: Cell[] = todo;
  const progress = events.progress(cells.length, previous.done.size, () => budget.etaMs(left, macsOf));


  // once per spec, before its first cell and never beside a timed one; a resumed sweep reuses its finished rows'
  const accuracies = new Map<string, Accuracy>(rows.map((r) => [r.spec, r.accuracy]));
  const accuracyOf = async (spec: ModelSpec): Promise<Accuracy> => {
    if (!accuracies.has(spec.spec)) accuracies.set(spec.spec, await accuracyFor(spec, plan.accuracy, (text) => progress.note?.(text)));
    return accuracies.get(spec.spec)!;
  };

  const stop = () => {
    progress.stop();
    work.remove();
  };
  const interrupted = (signal: 'SIGINT' | 'SIGTERM') => () => {
    stop();
    events.interrupted(signal, rows.length - previous.done.size);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted('SIGINT'));
  process.once('SIGTERM', interrupted('SIGTERM'));

  let end: Awaited<ReturnType<typeof measureCalibration>> = { wallMs: 0 };
  try {
    for (const c of todo) emit(c); // every spec before the first cell: the budget and the ETA need their MACs
    for (const [i, cell] of todo.entries()) {
      const cellStart = Date.now();
      left = todo.slice(i);
      const budgetMs = budget.budgetFor(cell, todo.slice(i + 1), macsOf);
      if (i === 0) log(budget.startLine(todo, macsOf, budgetMs));
      progress.start(cell);
      const e = emit(cell);
      const accuracy = !e.spec ? onnxAccuracy(plan.accuracy) : e.error ? await accuracyFor(e.spec, { kind: 'none' }) : await accuracyOf(e.spec);
      const startedAt = new Date();
      // a runner that shares a Chromium connects to the sweep's one (measureCell launches it, or relaunches it if a cell killed it)
      const job = { cell, onnxPath: e.onnxPath!, inputs: e.inputs!, outputs: e.outputs!, ops: e.ops!, measure: { ...plan.measure, budgetMs }, profileRuns: cell.profile ? PROFILE_RUNS : 0 };
      const outcome: CellOutcome = e.error ? { ok: false, ...e.error } : await measureCell(job, { processes: plan.measure.processes, timeoutS: plan.timeoutS });
      const row = makeRow({ sweep, plan, cell, spec: e.spec, info: e.info, env, startedAt, accuracy }, outcome);
      if (plan.measure.instructions && outcome.ok) Object.assign(row, await instructionsOf(cell, e.onnxPath!, e.inputs!, events.warn));
      const predicted = e.error || !e.spec ? undefined : opts.predict?.(e.spec, cell);
      if (predicted) row.predicted = predicted;
      appendRow(opts.out, row);
      rows.push(row);
      budget.observe(cell, row, Date.now() - cellStart, macsOf(cell));
      left = todo.slice(i + 1);
      progress.done(row);
    }
    if (todo.length) end = await measureCalibration(log);
    if (end.calibration) log(`calibration at the end: ${describeCalibration(end.calibration)}`);
    const drift = driftWarning(start.calibration, end.calibration);
    if (drift) events.warn(drift);
  } finally {
    stop();
    await releaseShared();
  }
  const order = new Map(cells.map((c, i) => [c.key, i]));
  rows.sort((a, b) => (order.get(a.cell) ?? 0) - (order.get(b.cell) ?? 0));
  return { sweep, file: opts.out, rows, skipped: previous.done.size, calibration: { start: start.calibration, end: end.calibration } };
}
