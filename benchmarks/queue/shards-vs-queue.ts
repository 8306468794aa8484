/**
 * Static shards vs the job queue on a plan with uneven cells, 2 workers on this machine (--concurrency 1 each):
 *   static: `mvbench sweep --shard 1/2` and `--shard 2/2` started together, then `mvbench merge`; done when both are
 *   queue:  a redis-server, 2 `mvbench worker` processes (started before the clock, as long-running services), and
 *           `mvbench sweep --queue`; done when the coordinator has every row
 * The plan: mobilevitv2 at 7 widths (0.5-2) x 128 and 256 px, 1 thread, a fixed number of runs per cell, so a cell's
 * cost follows its MACs (0.1-7.2 G). The static split is the sweep's own (cell i to shard i mod 2): every 128 px cell
 * on one shard, every 256 px cell (4x the MACs) on the other. Per worker, busy = the sum of its rows' durationS
 * (the cell's processes; emitting a model and the start-up are not in it), idle = wall - busy. Rounds alternate which
 * mode goes first. Latencies are not the point (both workers share the 2 cores).
 *   pnpm tsx benchmarks/queue/shards-vs-queue.ts [--rounds 3] [--runs 60]
 * Prints a markdown table and writes results/benchmarks/queue.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from '@mvbench/runner-core';
import { readRows } from '@mvbench/results';
import { startRedis } from '@mvbench/queue/testing';
import { argNum } from '../args.ts';

const ROUNDS = argNum('--rounds', 3, { integer: true, min: 1 });
const RUNS = argNum('--runs', 60, { integer: true, min: 6 });
const root = fileURLToPath(new URL('../../', import.meta.url));
const PLAN = ['--family', 'mobilevitv2', '--widths', '0.5,0.75,1,1.25,1.5,1.75,2', '--resolution', '128,256', '--threads', '1', '--runner', 'ort-node:cpu', '--name', 'queue-bench'];
const TIMING = ['--warmup', '2', '--min-runs', String(RUNS), '--max-runs', String(RUNS), '--processes', '1', '--max-minutes', 'none', '--no-report'];

/** the CLI as a process; resolves with its exit code (stderr kept for a failure's message) */
function mvbench(args: string[]): { done: Promise<void>; kill: () => void } {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'apps/sweep/src/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-3000)));
  const done = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mvbench ${args[0]} exited ${code}: ${err}`)))));
  return { done, kill: () => process.kill(-child.pid!, 'SIGTERM') };
}

interface Mode {
  wallS: number;
  /** per worker (shard, or queue worker): seconds of cells, and the rest of the wall time */
  busyS: number[];
  idleS: number[];
}

/** seconds of cells per worker; `files` together hold the plan's 14 rows */
const busyOf = (files: string[], workerOf: (r: ReturnType<typeof readRows>['rows'][number], file: number) => string, names: string[]) => {
  const rows = files.flatMap((f, i) => readRows(f).rows.map((r) => ({ r, worker: workerOf(r, i) })));
  if (rows.length !== 14 || rows.some(({ r }) => r.error)) throw new Error(`${files.join(', ')}: expected 14 rows without errors`);
  return names.map((n) => rows.filter((x) => x.worker === n).reduce((s, x) => s + x.r.durationS, 0));
};
const mode = (wallS: number, busyS: number[]): Mode => ({ wallS, busyS, idleS: busyS.map((b) => wallS - b) });

async function staticShards(dir: string): Promise<Mode> {
  const t0 = performance.now();
  const shards = [1, 2].map((i) => join(dir, `shard${i}.jsonl`));
  await Promise.all(shards.map((out, i) => mvbench(['sweep', ...PLAN, ...TIMING, '--shard', `${i + 1}/2`, '--out', out]).done));
  await mvbench(['merge', ...shards, '-o', join(dir, 'merged.jsonl')]).done;
  const wallS = (performance.now() - t0) / 1000;
  return mode(wallS, busyOf(shards, (_, i) => `s${i + 1}`, ['s1', 's2']));
}

async function queue(dir: string, url: string): Promise<Mode> {
  const workers = ['w1', 'w2'].map((name) => mvbench(['worker', '--queue', url, '--name', name]));
  try {
    await new Promise((r) => setTimeout(r, 5000)); // the workers are up and waiting before the clock starts
    const t0 = performance.now();
    const out = join(dir, 'queue.jsonl');
    await mvbench(['sweep', ...PLAN, ...TIMING, '--queue', url, '--out', out]).done;
    const wallS = (performance.now() - t0) / 1000;
    return mode(wallS, busyOf([out], (r) => r.worker?.name ?? '', ['w1', 'w2']));
  } finally {
    for (const w of workers) w.kill();
    await Promise.allSettled(workers.map((w) => w.done));
  }
}

const redis = await startRedis();
const rounds: { round: number; first: string; loadBefore: number; static: Mode; queue: Mode }[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-queue-bench-'));
    const loadBefore = loadavg()[0];
    const order = round % 2 ? (['static', 'queue'] as const) : (['queue', 'static'] as const);
    const r: Partial<Record<'static' | 'queue', Mode>> = {};
    for (const m of order) r[m] = m === 'static' ? await staticShards(dir) : await queue(dir, redis.url);
    rmSync(dir, { recursive: true, force: true });
    rounds.push({ round, first: order[0], loadBefore, static: r.static!, queue: r.queue! });
    console.error(`round ${round}: static ${r.static!.wallS.toFixed(1)} s, queue ${r.queue!.wallS.toFixed(1)} s`);
  }
} finally {
  await redis.stop();
}

const stat = (xs: number[]) => {
  const s = summarize(xs);
  return { median: +s.median.toFixed(2), min: +Math.min(...xs).toFixed(2), max: +Math.max(...xs).toFixed(2) };
};
const of = (m: 'static' | 'queue') => ({
  wallS: stat(rounds.map((r) => r[m].wallS)),
  idleBusiestS: stat(rounds.map((r) => Math.min(...r[m].idleS))),
  idleLeastBusyS: stat(rounds.map((r) => Math.max(...r[m].idleS))),
});
const summary = { static: of('static'), queue: of('queue'), queueOverStatic: stat(rounds.map((r) => r.queue.wallS / r.static.wallS)) };
const command = `pnpm tsx benchmarks/queue/shards-vs-queue.ts --rounds ${ROUNDS} --runs ${RUNS}`;
mkdirSync(join(root, 'results/benchmarks'), { recursive: true });
writeFileSync(join(root, 'results/benchmarks/queue.json'), JSON.stringify({ command, machine: `${cpus()[0]?.model.trim()}, ${cpus().length} cores`, date: new Date().toISOString(), summary, rounds }, null, 2) + '\n');
const row = (name: string, s: ReturnType<typeof of>) =>
  `| ${name} | ${s.wallS.median} (${s.wallS.min}-${s.wallS.max}) | ${s.idleBusiestS.median} (${s.idleBusiestS.min}-${s.idleBusiestS.max}) | ${s.idleLeastBusyS.median} (${s.idleLeastBusyS.min}-${s.idleLeastBusyS.max}) |`;
console.log(`${command}\n\n| mode | wall s, median (min-max) | idle s of the busiest worker | idle s of the least busy worker |\n|---|---|---|---|`);
console.log(`${row('static shards (--shard 1/2, 2/2 + merge)', summary.static)}\n${row('queue (2 workers, --concurrency 1)', summary.queue)}`);
console.log(`\nqueue / static wall time per round: median x${summary.queueOverStatic.median} (${summary.queueOverStatic.min}-${summary.queueOverStatic.max}); load average before each round: ${rounds.map((r) => r.loadBefore.toFixed(1)).join(', ')}`);
