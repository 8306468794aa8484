/**
 * The coordinator of a sweep on a job queue (mvbench sweep --queue): the same plan, results file, rows and resume as
 * the sweep on one machine (@mvbench/sweep-run), but the cells go to workers on other machines through BullMQ:
 *
 *   plan -> accuracy jobs (any machine) -> the spec's cells (machines of the plan's class; an .onnx file's bytes
 *   in Redis, onnx-files.ts) -> workers measure
 *   -> rows come back on the results queue -> appended and fsynced here, once per cell, as they arrive
 *
 * A row is appended before its results job completes: a coordinator killed in between gets the job again after
 * --resume and skips the row it already has. A job that failed `attempts` times (a worker killed mid-cell counts as
 * one) becomes an error row. Jobs are re-added every few seconds (a no-op while they exist): a Redis restarted
 * without its data gets them back.
 */
import { existsSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { parseSpec } from '@mvbench/dsl';
import { accuracyFor } from '@mvbench/accuracy';
import { makeRow } from '@mvbench/cell';
import { cellsToRun, type Cell } from '@mvbench/plan';
import { appendRow, readRows, type Accuracy, type ResultRow } from '@mvbench/results';
import { environmentFingerprint } from '@mvbench/runner-core';
import { onnxAccuracy, resumeSweep, type SweepOptions, type SweepResult } from '@mvbench/sweep-run';
import { ACCURACY_QUEUE, cellQueueName, connect, expireLeftovers, jobIdOf, ping, prefixOf, RESULTS_QUEUE, SWEEPS_KEY } from './connection.ts';
import { redisOptions } from './redis-options.ts';
import { dropOnnxFiles, putOnnxFiles } from './onnx-files.ts';
import { gaveUp, type AccuracyJobData, type ResultData, type SweepCellJob, type SweepMeta } from './jobs.ts';
import { snapshotOf, type QueueSnapshot } from './snapshot.ts';

export interface QueueSweepEvents {
  log(line: string): void;
  warn(line: string): void;
  /** a row arrived (and is in the results file) */
  row(row: ResultRow, snapshot: QueueSnapshot): void;
  /** the queue's state, about once a second */
  status(snapshot: QueueSnapshot): void;
  interrupted(signal: 'SIGINT' | 'SIGTERM', newRows: number): void;
}

export interface QueueSweepOptions extends Pick<SweepOptions, 'plan' | 'out' | 'resume' | 'retryFailed' | 'retryContended' | 'yes' | 'predict'> {
  queueUrl: string;
  /** the machine class the plan's latency cells need */
  machineClass: string;
  /** tries per job before it becomes an error row */
  attempts: number;
  /** a worker silent this long (killed, cut off) loses its job to another */
  lockSeconds: number;
  events: QueueSweepEvents;
}

const ACCURACY_INLINE = new Set(['none', 'published']);
const TICK_MS = 1000;
const REENQUEUE_MS = 10_000;

export async function runQueueSweep(opts: QueueSweepOptions): Promise<SweepResult> {
  const { plan, events } = opts;
  const cells = cellsToRun(plan, undefined, opts.yes ?? false);
  const resumed = resumeSweep(opts);
  const redis = connect(opts.queueUrl);
  await ping(redis, opts.queueUrl);
  const registered = Object.values(await redis.hgetall(SWEEPS_KEY)).map((m) => JSON.parse(m) as SweepMeta);
  // a coordinator killed before its first row: --resume takes over its sweep, whose jobs may be running
  const earlier = opts.resume && !resumed.done.size ? registered.find((m) => m.plan.name === plan.name) : undefined;
  const sweep = earlier?.sweep ?? resumed.sweep;
  const done = resumed.done;
  const written = opts.resume && existsSync(opts.out) ? new Set(readRows(opts.out).rows.filter((r) => r.sweep === sweep).map((r) => r.cell)) : new Set<string>();
  const todo = cells.filter((c) => !done.has(c.key));
  const todoKeys = new Set(todo.map((c) => c.key));
  const rows = new Map<string, ResultRow>(done);
  const meta: SweepMeta = { sweep, plan, machineClass: opts.machineClass, lockMs: opts.lockSeconds * 1000, attempts: opts.attempts, startedAt: earlier?.startedAt ?? new Date().toISOString() };

  const connection = redisOptions(opts.queueUrl);
  const prefix = prefixOf(sweep);
  const cellQueue = new Queue<SweepCellJob>(cellQueueName(opts.machineClass), { connection, prefix });
  const accuracyQueue = new Queue<AccuracyJobData>(ACCURACY_QUEUE, { connection, prefix });
  const resultsQueue = new Queue<ResultData>(RESULTS_QUEUE, { connection, prefix });
  const jobOptions = (key: string) => ({ jobId: jobIdOf(key), attempts: opts.attempts, backoff: { type: 'fixed', delay: 1000 } });
  const env = environmentFingerprint();

  // accuracy per spec: a resumed sweep reuses its finished rows'; 'none' and 'published' need no job
  const accuracies = new Map<string, Accuracy>([...done.values()].map((r) => [r.spec, r.accuracy]));
  const specs = [...new Set(todo.map((c) => c.spec))];
  const onnxSpecs = new Set(todo.filter((c) => c.onnx).map((c) => c.spec));
  for (const s of specs) {
    if (accuracies.has(s)) continue;
    // a file has no family to train or look up: its accuracy is none, or says why not
    if (onnxSpecs.has(s)) accuracies.set(s, onnxAccuracy(plan.accuracy));
    else if (ACCURACY_INLINE.has(plan.accuracy.kind)) accuracies.set(s, await accuracyFor(parseSpec(s), plan.accuracy));
  }

  const addCell = async (cell: Cell) => {
    if (rows.has(cell.key)) return;
    const existing = await cellQueue.getJob(jobIdOf(cell.key));
    // a cell with a row in the file measured again (--retry-failed/--retry-contended) needs a new job; otherwise a
    // finished job's row is on its way, and a failed one becomes its error row (collectFailures)
    if (existing && written.has(cell.key) && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove();
    await cellQueue.add('cell', { cell, accuracy: accuracies.get(cell.spec)! }, jobOptions(cell.key));
  };
  const enqueue = async () => {
    await redis.hset(SWEEPS_KEY, sweep, JSON.stringify(meta));
    await putOnnxFiles(redis, sweep, todo);
    for (const s of specs) if (!accuracies.has(s)) await accuracyQueue.add('accuracy', { spec: s }, jobOptions(s));
    for (const c of todo) if (accuracies.has(c.spec)) await addCell(c);
    written.clear(); // replaced jobs once, then re-adding is a no-op while they exist
  };

  const started = Date.now();
  let newRows = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const snapshot = () => snapshotOf(cellQueue, accuracyQueue, { total: cells.length, rows: [...rows.values()], sweep, started, newRows });
  const append = async (row: ResultRow) => {
    if (rows.has(row.cell) || !todoKeys.has(row.cell)) return; // a second row of a cell (a job retried while its first try ended)
    const predicted = row.error || row.onnx ? undefined : opts.predict?.(parseSpec(row.spec), todo.find((c) => c.key === row.cell)!);
    if (predicted) row.predicted = predicted;
    appendRow(opts.out, row);
    rows.set(row.cell, row);
    newRows++;
    events.row(row, await snapshot());
    if (todo.every((c) => rows.has(c.key))) finish();
  };
  const results = new Worker<ResultData>(
    RESULTS_QUEUE,
    async (job) => {
      const d = job.data;
      if (d.kind === 'row') return append(d.row);
      if (accuracies.has(d.spec)) return;
      accuracies.set(d.spec, d.accuracy);
      for (const c of todo) if (c.spec === d.spec) await addCell(c);
    },
    { connection, prefix, concurrency: 1, lockDuration: meta.lockMs, stalledInterval: meta.lockMs },
  );
  results.on('error', () => {}); // Redis restarting: BullMQ reconnects

  // jobs that failed `attempts` times: an error row per cell, an accuracy with its error per spec
  const collectFailures = async () => {
    for (const job of await accuracyQueue.getFailed()) {
      const spec = job.data.spec;
      if (accuracies.has(spec)) continue;
      const seed = 'seed' in plan.accuracy ? plan.accuracy.seed : null;
      accuracies.set(spec, { kind: plan.accuracy.kind, value: null, metric: null, dataset: null, source: null, seed, error: `CRASH: ${gaveUp(opts.attempts, job.failedReason, 'job')}` } as Accuracy);
      for (const c of todo) if (c.spec === spec) await addCell(c);
    }
    for (const job of await cellQueue.getFailed()) {
      const { cell, accuracy } = job.data;
      if (rows.has(cell.key)) continue;
      const message = gaveUp(opts.attempts, job.failedReason, 'cell');
      await append(makeRow({ sweep, plan, cell, spec: cell.onnx ? undefined : parseSpec(cell.spec), info: undefined, env, startedAt: new Date(job.processedOn ?? Date.now()), accuracy }, { ok: false, code: 'CRASH', message }));
    }
  };

  const interrupted = (signal: 'SIGINT' | 'SIGTERM') => () => {
    events.interrupted(signal, newRows);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted('SIGINT'));
  process.once('SIGTERM', interrupted('SIGTERM'));

  let lastEnqueue = 0;
  let stop = false;
  const tick = async () => {
    while (!stop) {
      try {
        if (Date.now() - lastEnqueue > REENQUEUE_MS) {
          await enqueue();
          lastEnqueue = Date.now();
        }
        await collectFailures();
        if (!stop) events.status(await snapshot());
      } catch {
        // Redis unreachable for a moment: the next tick tries again
      }
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  };
  let loop = Promise.resolve();
  try {
    await putOnnxFiles(redis, sweep, todo); // before any cell: a worker finds its file's bytes
    events.log(`sweep ${sweep}: ${todo.length} cells on the queue (${done.size} done before), machine class '${opts.machineClass}'`);
    loop = todo.length ? tick() : Promise.resolve();
    if (!todo.length) finish();
    await finished;
  } finally {
    stop = true;
    await loop;
    await results.close();
    await redis.hdel(SWEEPS_KEY, sweep);
    for (const q of [cellQueue, accuracyQueue, resultsQueue]) await q.obliterate({ force: true }).catch(() => {});
    await Promise.all([cellQueue.close(), accuracyQueue.close(), resultsQueue.close()]);
    await dropOnnxFiles(redis, sweep, todo).catch(() => {});
    await expireLeftovers(redis, sweep).catch(() => {});
    redis.disconnect();
  }
  const order = new Map(cells.map((c, i) => [c.key, i]));
  const sorted = [...rows.values()].sort((a, b) => (order.get(a.cell) ?? 0) - (order.get(b.cell) ?? 0));
  return { sweep, file: opts.out, rows: sorted, skipped: done.size, calibration: {} };
}
