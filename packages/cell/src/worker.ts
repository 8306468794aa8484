/**
 * Child-process entry for one cell: load the emitted model, create the session, time the first inference,
 * measure, optionally profile in a second session, report over IPC, exit. One cell per process, so a crash,
 * hang or leak stays inside the cell.
 */
import { readFileSync } from 'node:fs';
import { cpuSnapshot, loadWindow, measure, peakRssMb, timeOnce, type Measurement, type ModelArtifact, type Prepared, type Runner } from '@mvbench/runner-core';
import type { CellJob, CellOutcome } from './job.ts';
import { attribute } from './profile.ts';
import { feedsFor, serveOneJob, settingsOf, withRunner } from './steps.ts';

/** the runner's report of its settings, scalars only (adapter, crossOriginIsolated, notGpuNumber, ...) */
const scalars = (o: Record<string, unknown>): Record<string, string | number | boolean> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));

const rounded = (m: Measurement): Measurement => ({ ...m, samplesMs: m.samplesMs.map((x) => Math.round(x * 1e4) / 1e4) });

async function runCell(runner: Runner, job: CellJob): Promise<CellOutcome> {
  const { cell } = job;
  const model: ModelArtifact = { id: cell.spec, onnx: new Uint8Array(readFileSync(job.onnxPath)), inputs: job.inputs, outputs: job.outputs, ops: job.ops };
  const support = runner.supports(model);
  if (!support.ok) return { ok: false, code: support.unavailable ? 'RUNNER_UNAVAILABLE' : 'UNSUPPORTED_OP', message: `${runner.id}: ${support.reason}`, versions: runner.versions };
  const settings = settingsOf(cell);
  let prepared!: Prepared;
  const sessionCreateMs = await timeOnce(async () => (prepared = await runner.prepare(model, settings)));
  const feeds = feedsFor(job.inputs);
  // runners that time inside their runtime (a browser page) report each run's duration themselves
  const timed = runner.timeRuns
    ? async () => (await runner.timeRuns!(prepared, feeds, 1))[0]
    : () => runner.run(prepared, feeds).then(() => undefined);
  const firstRunMs = await timeOnce(() => runner.run(prepared, feeds));
  const { warmupRuns: w, runs } = job.baseline ?? { warmupRuns: 0, runs: 0 };
  const baseline = job.baseline && (await measure(timed, { warmup: { window: w, minRuns: w, maxRuns: w }, minRuns: runs, maxRuns: runs, targetRelCi: 0 }));
  // competing load over the timed runs; our tree is the parent's (this process, and a shared Chromium)
  const before = cpuSnapshot(process.ppid);
  const { budgetMs, targetRelCi, minRuns, maxRuns, warmupMaxMs, warmupRuns: n, gcBetween } = job.measure;
  const warmup = n === undefined ? { maxMs: warmupMaxMs } : { window: Math.max(1, n), minRuns: n, maxRuns: n, maxMs: Infinity };
  const m = await measure(timed, { budgetMs, targetRelCi, minRuns, maxRuns, gcBetween, warmup });
  const { stats, samplesMs, ...detail } = rounded(m);
  const after = before && cpuSnapshot(process.ppid);
  const threadsUsed = Number(prepared.settingsUsed.threads);
  const runnerSettings = scalars(prepared.settingsUsed);
  await runner.dispose(prepared);
  let profile = null;
  if (job.profileRuns > 0 && runner.endProfile) {
    const p = await runner.prepare(model, { ...settings, profile: true });
    for (let i = 0; i < job.profileRuns; i++) await runner.run(p, feeds);
    profile = attribute(await runner.endProfile(p), job.profileRuns);
    await runner.dispose(p);
  }
  const cpu = process.cpuUsage();
  return {
    ok: true,
    versions: runner.versions,
    threadsUsed,
    runnerSettings,
    sessionCreateMs,
    firstRunMs,
    stats,
    samplesMs,
    converged: detail.converged,
    warmupRuns: detail.warmupRuns,
    detail,
    ...(baseline && { baseline: rounded(baseline) }),
    peakRssMb: peakRssMb(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    profile,
    load: before && after ? loadWindow(before, after) : null,
  };
}

serveOneJob((job: CellJob) => withRunner(job.cell.runner, job.context ?? {}, (runner) => runCell(runner, job)));
