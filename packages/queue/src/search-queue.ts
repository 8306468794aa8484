/**
 * A search's measurements and trainings as jobs on the queue (mvbench search --queue): the search itself runs on the
 * coordinator as on one machine; each latency (on the cell queue of the machine class) and each training or zero-cost
 * score (on the accuracy queue, any machine) is one job, awaited by its id, whose return value is the result:
 *
 *   register the search (SWEEPS_KEY, as a sweep) -> add a job (id: its content) -> poll its state
 *   -> completed: its return value | failed `attempts` times: the failure the search records as it would a local one
 *
 * The id is the job's content, in the search's own key space (`search-<settings hash>`): a coordinator killed and
 * resumed asks for the same jobs and finds them (done, or still running) instead of repeating them. A job gone (a
 * Redis restarted without its data) is added again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type JobsOptions } from 'bullmq';
import type { AccuracyPlan, Cell, Plan } from '@mvbench/plan';
import type { Accuracy } from '@mvbench/results';
import { ACCURACY_QUEUE, cellQueueName, connect, expireLeftovers, jobIdOf, ping, prefixOf, SWEEPS_KEY } from './connection.ts';
import { redisOptions } from './redis-options.ts';
import { gaveUp, type AccuracyJobData, type CellJobData, type Measured, type SweepMeta } from './jobs.ts';

export interface SearchQueueOptions {
  queueUrl: string;
  /** the machine class every latency needs */
  machineClass: string;
  /** tries per job before the evaluation fails */
  attempts: number;
  /** a worker silent this long loses its job to another */
  lockSeconds: number;
  /** the queue's state while jobs wait, every `statusSeconds` (15) */
  log?: (line: string) => void;
  statusSeconds?: number;
}

/** the search's side of the queue (the shape of @mvbench/search's SearchBackend) */
export interface SearchQueue {
  /** a measurement that failed `attempts` times has no machine */
  measure(cell: Cell, settings: { budgetMs: number; timeoutS: number }): Promise<Pick<Measured, 'outcome'> & Partial<Measured>>;
  accuracy(spec: { spec: string }, request: AccuracyPlan): Promise<Accuracy>;
  /** every job is handed to the queue at once: the workers decide how many run */
  parallel: true;
  close(): Promise<void>;
}

const POLL_MS = 500;
const REGISTER_MS = 10_000;

/** opens the queue for the search `name` (its key space) whose workers read `plan` */
export const searchOnQueue = (o: SearchQueueOptions) => async ({ name, plan }: { name: string; plan: Plan }): Promise<SearchQueue> => {
  const redis = connect(o.queueUrl);
  await ping(redis, o.queueUrl);
  const earlier = await redis.hget(SWEEPS_KEY, name);
  const meta: SweepMeta = { sweep: name, plan, machineClass: o.machineClass, lockMs: o.lockSeconds * 1000, attempts: o.attempts, startedAt: earlier ? (JSON.parse(earlier) as SweepMeta).startedAt : new Date().toISOString() };
  const register = () => redis.hset(SWEEPS_KEY, name, JSON.stringify(meta));
  await register();
  const registering = setInterval(() => void register().catch(() => {}), REGISTER_MS);
  const connection = redisOptions(o.queueUrl);
  const prefix = prefixOf(name);
  const cells = new Queue<CellJobData>(cellQueueName(o.machineClass), { connection, prefix });
  const trainings = new Queue<AccuracyJobData>(ACCURACY_QUEUE, { connection, prefix });

  /** the job `jobId`, added once; resolves with its return value or why it failed `attempts` times */
  async function run<R>(queue: Pick<Queue, 'getJob'>, add: (opts: JobsOptions & { jobId: string }) => Promise<unknown>, jobId: string): Promise<{ value: R } | { failed: string }> {
    for (;;) {
      try {
        const job = await queue.getJob(jobId);
        const state = job ? await job.getState() : 'unknown';
        if (state === 'completed') return { value: (await queue.getJob(jobId))!.returnvalue as R };
        if (state === 'failed') return { failed: gaveUp(o.attempts, job!.failedReason, 'job') };
        if (state === 'unknown') await add({ jobId, attempts: o.attempts, backoff: { type: 'fixed', delay: 1000 } });
      } catch {
        // Redis away for a moment: the next poll tries again
      }
      await sleep(POLL_MS);
    }
  }

  // what the queue does while the search waits: jobs waiting, and which worker runs what (none of the class: say so)
  let pending = 0;
  const status = setInterval(async () => {
    if (!pending || !o.log) return;
    const counts = await Promise.all([cells, trainings].map((q) => q.getJobCounts('waiting', 'prioritized', 'delayed'))).catch(() => []);
    const active = await Promise.all([cells.getActive(), trainings.getActive()]).then((a) => a.flat(), () => []);
    const waiting = counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
    const running = active.map((j) => `${j.processedBy ?? '?'}: ${'cell' in j.data ? `latency of ${j.data.cell.spec}` : `${j.data.request?.kind ?? ''} accuracy of ${j.data.spec}`}`);
    o.log(`queue: ${waiting} jobs waiting${running.length ? `; ${running.join('; ')}` : `, none running (a worker of machine class '${o.machineClass}' measures; any worker trains)`}`);
  }, (o.statusSeconds ?? 15) * 1000);
  const tracked = async <T>(p: Promise<T>): Promise<T> => {
    pending++;
    try {
      return await p;
    } finally {
      pending--;
    }
  };

  return {
    parallel: true,
    measure: async (cell, settings) => {
      const r = await tracked(run<Measured>(cells, (opts) => cells.add('measure', { cell, measure: settings }, opts), jobIdOf(`latency|${cell.key}|${settings.budgetMs}`)));
      return 'value' in r ? r.value : { outcome: { ok: false, code: 'CRASH', message: r.failed } };
    },
    accuracy: async ({ spec }, request) => {
      const r = await tracked(run<Accuracy>(trainings, (opts) => trainings.add('accuracy', { spec, request }, opts), jobIdOf(`accuracy|${spec}|${JSON.stringify(request)}`)));
      if ('value' in r) return r.value;
      return { kind: request.kind, value: null, metric: null, dataset: null, source: null, seed: 'seed' in request ? request.seed : null, error: `CRASH: ${r.failed}` } as Accuracy;
    },
    close: async () => {
      clearInterval(registering);
      clearInterval(status);
      await redis.hdel(SWEEPS_KEY, name).catch(() => {});
      for (const q of [cells, trainings]) await q.obliterate({ force: true }).catch(() => {});
      await Promise.all([cells.close(), trainings.close()]);
      await expireLeftovers(redis, name).catch(() => {});
      redis.disconnect();
    },
  };
};
