/**
 * Child process of a regression check: base and head sessions side by side under identical settings, timed
 * interleaved, plus a calibration workload (a fixed MatMul) so history rows compare across machines.
 */
import { readFileSync } from 'node:fs';
import { GraphBuilder } from '@mvbench/dsl';
import { MvbenchError } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { artifactOf } from '@mvbench/pipeline';
import { fixtureInput, measure, measureInterleaved, type ModelArtifact } from '@mvbench/runner-core';
import { fromOnnx } from '@mvbench/onnx';
import { createRunner } from '../runners.ts';
import type { AbJob, AbOutcome } from './ab-job.ts';

function calibrationModel(): ModelArtifact {
  const b = new GraphBuilder('calibration');
  const x = b.input('input', [256, 256]);
  const w = b.param('w', [256, 256], { kind: 'uniform', low: -0.1, high: 0.1 });
  b.output(b.op.MatMul([b.op.MatMul([x, w]), w]), 'logits');
  const g = b.finish();
  return artifactOf('calibration', g, toOnnx(g));
}

const load = (id: string, path: string): ModelArtifact => {
  const onnx = new Uint8Array(readFileSync(path));
  return artifactOf(id, fromOnnx(onnx, { name: id }), onnx);
};

async function run(job: AbJob): Promise<AbOutcome> {
  const runner = await createRunner(job.runner);
  try {
    const settings = { threads: job.threads, graphOptimization: job.graphOptimization as 'all' };
    const models = [load('base', job.basePath), load('head', job.headPath)];
    const sessions = await Promise.all(models.map((m) => runner.prepare(m, settings)));
    const feeds = models.map((m) => Object.fromEntries(m.inputs.map((i) => [i.name, fixtureInput(i.shape)])));
    const arms = sessions.map((s, i) => () => runner.run(s, feeds[i]));
    const { samplesMs } = await measureInterleaved(arms, { budgetMs: job.budgetMs, minRounds: job.minRounds });
    for (const s of sessions) await runner.dispose(s);
    const cal = calibrationModel();
    const cs = await runner.prepare(cal, settings);
    const calFeeds = { input: fixtureInput([256, 256]) };
    const c = await measure(() => runner.run(cs, calFeeds).then(() => undefined), { budgetMs: 500, minRuns: 20 });
    return { ok: true, base: samplesMs[0], head: samplesMs[1], calibrationMs: c.stats.median, versions: runner.versions };
  } catch (e) {
    return { ok: false, code: e instanceof MvbenchError ? e.code : 'RUNNER_FAILED', message: e instanceof Error ? e.message : String(e) };
  } finally {
    await runner.dispose();
  }
}

process.on('disconnect', () => process.exit(1));
process.once('message', async (job: AbJob) => {
  const outcome = await run(job);
  process.send!(outcome, undefined, {}, () => process.exit(0));
});
