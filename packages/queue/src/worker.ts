/**
 * A queue worker (mvbench worker): joins the oldest active sweep (or search) in Redis, takes its accuracy jobs and, on
 * a machine of its class, its latency cells, and runs each exactly as the sweep on one machine does (the model emitted
 * once per spec, each cell in fresh child processes through the cell engine, one job at a time unless --concurrency),
 * sending every row back to the coordinator (a search's results are its jobs' return values). When the sweep ends it
 * waits for the next one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseSpec } from '@mvbench/dsl';
import { accuracyFor } from '@mvbench/accuracy';
import { describeCalibration, makeRow, makeTempDir, measureCalibration, measureCell, releaseShared, type CellOutcome } from '@mvbench/cell';
import { environmentFingerprint } from '@mvbench/runner-core';
import { cellEmitter, instructionsOf, PROFILE_RUNS } from '@mvbench/sweep-run';
import { ACCURACY_QUEUE, cellQueueName, connect, expireLeftovers, ping, prefixOf, RESULTS_QUEUE, SWEEPS_KEY } from './connection.ts';
import { redisOptions } from './redis-options.ts';
import { fetchOnnxFile } from './onnx-files.ts';
import type { AccuracyJobData, CellJobData, Measured, ResultData, SweepMeta, WorkerId } from './jobs.ts';

export interface WorkerOptions {
  queueUrl: string;
  machineClass: string;
  /** jobs at once (1: one measurement at a time on this machine) */
  concurrency: number;
  /** how rows and the coordinator's display name this worker */
  name: string;
  log(line: string): void;
  /** aborted: stop at once; the job in hand goes back to the queue when its lock expires */
  signal: AbortSignal;
  /** how often to look for a sweep, ms */
  pollMs?: number;
}


export async function runWorker(o: WorkerOptions): Promise<void> {
  const redis = connect(o.queueUrl);
  try {
    await ping(redis, o.queueUrl);
    let waiting = false;
    while (!o.signal.aborted) {
      const metas = Object.values(await redis.hgetall(SWEEPS_KEY).catch(() => ({}))).map((m) => JSON.parse(m) as SweepMeta);
      const meta = metas.sort((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
      if (!meta) {
        if (!waiting) o.log(`worker ${o.name} (class ${o.machineClass}): waiting for a sweep or search`);
        waiting = true;
        await sleep(o.pollMs ?? 1000, undefined, { signal: o.signal }).catch(() => {});
        continue;
      }
      waiting = false;
      await serveSweep(meta, o, redis, () => redis.hexists(SWEEPS_KEY, meta.sweep).then((n) => n === 1, () => true));
      if (!o.signal.aborted) await expireLeftovers(redis, meta.sweep).catch(() => {});
    }
  } finally {
    redis.disconnect();
  }
}

/** a semaphore of `n`: jobs of both queues share this machine */
function limiter(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let free = n;
  const queue: (() => void)[] = [];
  return async (f) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await f();
    } finally {
      const next = queue.shift();
      if (next) next();
      else free++;
    }
  };
}

async function serveSweep(meta: SweepMeta, o: WorkerOptions, redis: Redis, active: () => Promise<boolean>): Promise<void> {
  const { plan } = meta;
  const ours = meta.machineClass === o.machineClass;
  o.log(`worker ${o.name}: joined sweep ${meta.sweep} (${ours ? 'latency cells and accuracy jobs' : `accuracy jobs only: its latency cells need machine class '${meta.machineClass}'`})`);
  const env = environmentFingerprint();
  const calibration = ours ? await measureCalibration(o.log) : { wallMs: 0 };
  if (calibration.calibration) o.log(`calibration: ${describeCalibration((env.calibration = calibration.calibration))}`);
  const work = makeTempDir('mvbench-sweep');
  const { emit, emitted } = cellEmitter(work.dir, plan.seed);
  const connection = redisOptions(o.queueUrl);
  const prefix = prefixOf(meta.sweep);
  const results = new Queue<ResultData>(RESULTS_QUEUE, { connection, prefix });
  const send = (data: ResultData) => results.add(data.kind, data, { removeOnComplete: true, attempts: 10, backoff: { type: 'fixed', delay: 1000 } });

  const worker: WorkerId = { name: o.name, machineClass: o.machineClass };
  const runCell = async (job: Job<CellJobData>): Promise<string | Measured> => {
    const d = job.data;
    const { cell } = d;
    o.log(`${o.name}: measuring ${cell.key}${job.attemptsStarted > 1 ? ` (try ${job.attemptsStarted})` : ''}`);
    const e = emitted(cell.spec) ?? emit(await fetchOnnxFile(redis, meta.sweep, cell, work.dir));
    const startedAt = new Date();
    // a search's measurement: its own budget and timeout, one process, the outcome returned with this machine
    const [measure, processes, timeoutS] = 'measure' in d ? [{ budgetMs: d.measure.budgetMs }, 1, d.measure.timeoutS] : [plan.measure, plan.measure.processes, plan.timeoutS];
    const cellJob = { cell, onnxPath: e.onnxPath!, inputs: e.inputs!, outputs: e.outputs!, ops: e.ops!, measure, profileRuns: cell.profile ? PROFILE_RUNS : 0 };
    const outcome: CellOutcome = e.error ? { ok: false, ...e.error } : await measureCell(cellJob, { processes, timeoutS });
    if ('measure' in d) return { outcome, env, worker };
    const row = makeRow({ sweep: meta.sweep, plan, cell, spec: e.spec, info: e.info, env, startedAt, accuracy: e.error && e.spec ? await accuracyFor(e.spec, { kind: 'none' }) : d.accuracy }, outcome);
    if (plan.measure.instructions && outcome.ok) Object.assign(row, await instructionsOf(cell, e.onnxPath!, e.inputs!, o.log));
    row.worker = worker;
    await send({ kind: 'row', row });
    return cell.key;
  };
  const runAccuracy = async (job: Job<AccuracyJobData>) => {
    const spec = parseSpec(job.data.spec);
    const request = job.data.request ?? plan.accuracy;
    if (job.data.request) o.log(`${o.name}: ${request.kind} accuracy of ${spec.spec}${job.attemptsStarted > 1 ? ` (try ${job.attemptsStarted})` : ''}`);
    const accuracy = await accuracyFor(spec, request, (text) => void job.updateProgress({ note: text }).catch(() => {}));
    if (job.data.request) return accuracy; // a search's: the job's return value
    await send({ kind: 'accuracy', spec: spec.spec, accuracy, worker: o.name });
    return spec.spec;
  };

  const slot = limiter(o.concurrency);
  const settings = { connection, prefix, name: o.name, concurrency: o.concurrency, lockDuration: meta.lockMs, stalledInterval: meta.lockMs, maxStalledCount: meta.attempts - 1 };
  const workers: Worker[] = [new Worker<AccuracyJobData>(ACCURACY_QUEUE, (job) => slot(() => runAccuracy(job)), settings)];
  if (ours) workers.push(new Worker<CellJobData>(cellQueueName(o.machineClass), (job) => slot(() => runCell(job)), settings));
  for (const w of workers) w.on('error', () => {}); // connection errors while Redis restarts: BullMQ reconnects
  try {
    while (!o.signal.aborted && (await active())) await sleep(o.pollMs ?? 1000, undefined, { signal: o.signal }).catch(() => {});
  } finally {
    await Promise.all(workers.map((w) => w.close(o.signal.aborted)));
    await results.close();
    work.remove();
    await releaseShared();
  }
  if (!o.signal.aborted) o.log(`worker ${o.name}: sweep ${meta.sweep} ended`);
}
