/**
 * Child-process entry for one cell: load the emitted model, create the session, time the first inference,
 * measure, optionally profile in a second session, report over IPC, exit. One cell per process, so a crash,
 * hang or leak stays inside the cell.
 */
import { readFileSync } from 'node:fs';
import { MvbenchError } from '@mvbench/ir';
import { cpuSnapshot, fixtureInput, loadWindow, measure, peakRssMb, timeOnce, type ModelArtifact } from '@mvbench/runner-core';
import { createRunner } from '../runners.ts';
import type { CellJob, CellOutcome } from './job.ts';
import { attribute } from './profile.ts';

/** the runner's report of its settings, scalars only (adapter, crossOriginIsolated, notGpuNumber, ...) */
const scalars = (o: Record<string, unknown>): Record<string, string | number | boolean> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));

async function runCell(job: CellJob): Promise<CellOutcome> {
  const { cell } = job;
  const runner = await createRunner(cell.runner);
  try {
    const model: ModelArtifact = { id: cell.spec, onnx: new Uint8Array(readFileSync(job.onnxPath)), inputs: job.inputs, outputs: job.outputs, ops: job.ops };
    const support = runner.supports(model);
    if (!support.ok) return { ok: false, code: support.unavailable ? 'RUNNER_UNAVAILABLE' : 'UNSUPPORTED_OP', message: `${runner.id}: ${support.reason}`, versions: runner.versions };
    const settings = { threads: cell.threads, graphOptimization: cell.graphOptimization as 'all' };
    let prepared!: Awaited<ReturnType<typeof runner.prepare>>;
    const sessionCreateMs = await timeOnce(async () => (prepared = await runner.prepare(model, settings)));
    const feeds = Object.fromEntries(job.inputs.map((i) => [i.name, fixtureInput(i.shape)]));
    // runners that time inside their runtime (a browser page) report each run's duration themselves
    const timed = runner.timeRuns
      ? async () => (await runner.timeRuns!(prepared, feeds, 1))[0]
      : () => runner.run(prepared, feeds).then(() => undefined);
    const firstRunMs = await timeOnce(() => runner.run(prepared, feeds));
    // competing load over the timed runs; our tree is the sweep process (parent of this one, and of a shared Chromium)
    const before = cpuSnapshot(process.ppid);
    const m = await measure(timed, {
      budgetMs: job.measure.budgetMs,
      targetRelCi: job.measure.targetRelCi,
      minRuns: job.measure.minRuns,
      maxRuns: job.measure.maxRuns,
      warmup: { maxMs: job.measure.warmupMaxMs },
    });
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
    return {
      ok: true,
      versions: runner.versions,
      threadsUsed,
      runnerSettings,
      sessionCreateMs,
      firstRunMs,
      stats: m.stats,
      samplesMs: m.samplesMs.map((x) => Math.round(x * 1e4) / 1e4),
      converged: m.converged,
      warmupRuns: m.warmupRuns,
      peakRssMb: peakRssMb(),
      profile,
      load: before && after ? loadWindow(before, after) : null,
    };
  } catch (e) {
    const code = e instanceof MvbenchError ? e.code : 'RUNNER_FAILED';
    return { ok: false, code, message: e instanceof Error ? e.message : String(e), versions: runner.versions };
  } finally {
    await runner.dispose();
  }
}

// the sweep was killed: nobody wants this cell any more, and it must not disturb the next measurement
process.on('disconnect', () => process.exit(1));

process.once('message', async (job: CellJob) => {
  const outcome = await runCell(job);
  process.send!(outcome, undefined, {}, () => process.exit(0));
});
