/**
 * Child process of a regression check: base and head sessions side by side under identical settings, timed
 * interleaved, plus a calibration workload (a fixed MatMul) so history rows compare across machines.
 */
import { GraphBuilder } from '@mvbench/dsl';
import { toOnnx } from '@mvbench/onnx';
import { artifactOf } from '@mvbench/pipeline';
import { measure, measureInterleaved, type ModelArtifact, type Runner } from '@mvbench/runner-core';
import type { AbJob, AbOutcome } from './ab-job.ts';
import { feedsFor, readArtifact, serveOneJob, settingsOf, withRunner } from './steps.ts';

function calibrationModel(): ModelArtifact {
  const b = new GraphBuilder('calibration');
  const x = b.input('input', [256, 256]);
  const w = b.param('w', [256, 256], { kind: 'uniform', low: -0.1, high: 0.1 });
  b.output(b.op.MatMul([b.op.MatMul([x, w]), w]), 'logits');
  const g = b.finish();
  return artifactOf('calibration', g, toOnnx(g));
}

async function run(runner: Runner, job: AbJob): Promise<AbOutcome> {
  const settings = settingsOf(job);
  const models = [readArtifact('base', job.basePath), readArtifact('head', job.headPath)];
  const sessions = await Promise.all(models.map((m) => runner.prepare(m, settings)));
  const feeds = models.map((m) => feedsFor(m.inputs));
  const arms = sessions.map((s, i) => () => runner.run(s, feeds[i]));
  const { samplesMs } = await measureInterleaved(arms, { budgetMs: job.budgetMs, minRounds: job.minRounds });
  for (const s of sessions) await runner.dispose(s);
  const cal = calibrationModel();
  const cs = await runner.prepare(cal, settings);
  const calFeeds = feedsFor(cal.inputs);
  const c = await measure(() => runner.run(cs, calFeeds).then(() => undefined), { budgetMs: 500, minRuns: 20 });
  return { ok: true, base: samplesMs[0], head: samplesMs[1], calibrationMs: c.stats.median, versions: runner.versions };
}

serveOneJob((job: AbJob) => withRunner(job.runner, job.context ?? {}, (runner) => run(runner, job)));
