/** Child-process entry: one spec's evaluated, proxy or zero-cost accuracy, reported over IPC. */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSpec } from '@mvbench/dsl';
import { userError } from '@mvbench/core';
import { failure, reportProgress, RUNNERS, serveOneJob } from '@mvbench/cell';
import type { Accuracy } from '@mvbench/results';
import { evaluate } from './evaluate.ts';
import type { AccuracyJob, AccuracyOutcome } from './for-spec.ts';
import { proxyTrain } from './proxy.ts';
import { zeroCost } from './zero-cost.ts';

// a training on tfjs-node uses one core, like one on wasm: a search runs `workers` of these children at once, and
// TensorFlow's default (a thread per core in each) would put two threads on each core (read once, at its first load)
process.env.TF_NUM_INTRAOP_THREADS ??= '1';
process.env.TF_NUM_INTEROP_THREADS ??= '1';

/** `<dir>/<spec>.safetensors`, or `<dir>/<id>.safetensors` for a canonical id */
function checkpointOf(spec: string, dir: string): string {
  const s = parseSpec(spec);
  const file = join(dir, `${s.canonical ? s.id : s.spec}.safetensors`);
  if (!existsSync(file)) throw userError('FILE_NOT_FOUND', `no checkpoint for ${spec}: looked for ${file}`);
  return file;
}

async function compute({ spec, request: r, context }: AccuracyJob): Promise<Accuracy> {
  switch (r.kind) {
    case 'evaluated': {
      const weights = checkpointOf(spec, r.weights);
      const runner = await RUNNERS.create(r.runner, context);
      try {
        const [e] = await evaluate({ spec, weights, data: r.data, labels: r.labels, classNames: r.classNames, limit: r.limit, runners: [runner], threads: 1, batch: 8 });
        return {
          kind: 'evaluated', value: e.top1, metric: 'top1', dataset: e.dataset, source: basename(weights), seed: null,
          detail: { top5: e.top5, images: e.images, skipped: e.skipped.length, runner: e.runner, preprocessing: e.preprocessing },
        };
      } finally {
        await runner.dispose();
      }
    }
    case 'proxy': {
      const p = await proxyTrain({
        spec, ...r,
        onLoad: (n, total) => reportProgress(`proxy training: loading images ${n}/${total}`),
        onStep: (step, total, loss) => reportProgress(`proxy training: step ${step}/${total} (${Math.round((100 * step) / total)}%), loss ${loss.toFixed(3)}`),
      });
      return {
        kind: 'proxy', value: p.top1, metric: 'top1', dataset: p.dataset, source: `mvbench train at ${p.resolution} px, ${r.epochs} epochs${r.device === 'node' ? ' on tfjs-node' : ''}`, seed: p.seed,
        detail: { trained: p.trained, classes: p.classes, chance: p.chance, top5: p.top5, trainImages: p.trainImages, testImages: p.testImages, finalTrainLoss: p.epochs.at(-1)?.loss, seconds: p.seconds, device: r.device ?? 'wasm' },
      };
    }
    case 'zero-cost': {
      const z = await zeroCost({ spec, ...r });
      return {
        kind: 'zero-cost', value: z.score, metric: z.proxy, dataset: z.dataset, source: `mvbench score at ${z.resolution} px, batch ${z.batch}`, seed: z.seed,
        detail: { scored: z.scored, seconds: z.seconds }, ...(z.error && { error: z.error }),
      };
    }
  }
}

serveOneJob(async (job: AccuracyJob): Promise<AccuracyOutcome> => {
  try {
    return { ok: true, accuracy: await compute(job) };
  } catch (e) {
    return failure(e, 'FAILED');
  }
});
