/**
 * The one entry to measuring a cell, for the sweep, regress, benchmarks and any future search:
 *
 *   descriptor -> shared resources (context) -> `processes` fresh child processes, one after the other
 *   (worker.ts: prepare, first run, measure, profile) -> samples pooled, the profile from the first
 *
 * A failed process ends the cell with its failure. Never two measurements at once.
 */
import { poolWindows, summarize } from '@mvbench/runner-core';
import type { AbJob, AbOutcome } from './ab-job.ts';
import { runInChild, type ChildOptions } from './isolate.ts';
import type { CellJob, CellOutcome } from './job.ts';
import { contextFor } from './shared.ts';

export interface CellRun extends ChildOptions {
  /** fresh processes whose samples are pooled (a plan's measure.processes) */
  processes: number;
  /** per process, seconds */
  timeoutS: number;
}

export async function measureCell(job: CellJob, o: CellRun): Promise<CellOutcome> {
  const outcomes: CellOutcome[] = [];
  const nodeFlags = job.measure.gcBetween ? ['--expose-gc', ...(o.nodeFlags ?? [])] : o.nodeFlags;
  for (let i = 0; i < o.processes; i++) {
    // before each process: a shared Chromium that a killed cell took down is relaunched
    const context = await contextFor(job.cell.runner);
    const one = { ...job, context, profileRuns: i === 0 ? job.profileRuns : 0 };
    const outcome = await runInChild<CellJob, CellOutcome>(new URL('./worker.ts', import.meta.url), one, o.timeoutS, { ...o, nodeFlags });
    if (!outcome.ok) return outcome;
    outcomes.push(outcome);
  }
  return pool(outcomes as Extract<CellOutcome, { ok: true }>[]);
}

function pool(ok: Extract<CellOutcome, { ok: true }>[]): CellOutcome {
  if (ok.length === 1) return ok[0];
  const median = (xs: number[]) => summarize(xs).median;
  const samplesMs = ok.flatMap((o) => o.samplesMs);
  return {
    ...ok[0],
    stats: summarize(samplesMs),
    samplesMs,
    converged: ok.every((o) => o.converged),
    warmupRuns: Math.round(median(ok.map((o) => o.warmupRuns))),
    sessionCreateMs: median(ok.map((o) => o.sessionCreateMs)),
    firstRunMs: median(ok.map((o) => o.firstRunMs)),
    peakRssMb: Math.max(...ok.map((o) => o.peakRssMb)),
    cpuMs: ok.reduce((s, o) => s + o.cpuMs, 0),
    load: poolWindows(ok.map((o) => o.load)),
  };
}

/** base and head of a regression check in one child process, timed interleaved (ab-worker.ts) */
export async function measureAb(job: AbJob, timeoutS: number): Promise<AbOutcome> {
  const context = await contextFor(job.runner);
  return runInChild<AbJob, AbOutcome>(new URL('./ab-worker.ts', import.meta.url), { ...job, context }, timeoutS);
}
