/**
 * A sweep on the job queue as a team runs it, on one machine: a real redis-server, two real worker processes and the
 * coordinator, all through the CLI. One worker is killed -9 in the middle of a cell and Redis is restarted; every cell
 * still lands exactly once, and the rows say what a sweep on one machine says apart from the timings.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { prepareModel } from '@mvbench/pipeline';
import { readRows, type ResultRow } from '@mvbench/results';
import { startRedis } from '@mvbench/queue/testing';
import { cli } from './cli.ts';
import { killGroup, start, until, type Proc } from './processes.ts';

/** what a row says apart from how long things took and where they ran */
const content = (r: ResultRow) => ({ cell: r.cell, spec: r.spec, id: r.id, params: r.params, macs: r.macs, accuracy: r.accuracy, runner: r.runner, threads: r.threads, graphOptimization: r.graphOptimization, error: r.error, plan: r.plan });

describe('mvbench sweep --queue', () => {
  it('2 workers, one killed -9 mid-cell, Redis restarted: every cell exactly once, the rows of a single-machine run apart from latencies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-queue-test-'));
    const plan = join(dir, 'queue-e2e.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'queue-e2e',
        models: ['mobilenetv2_050:resolution=64', 'mobilevit_xxs:resolution=64', 'mobilevitv2_050:resolution=64'],
        runners: [
          { runner: 'ort-node:cpu', threads: [1, 2], graphOptimization: 'all' },
          { runner: 'ort-node:cpu', threads: [1, 2], graphOptimization: 'disabled' },
        ],
        measure: { budgetMs: 100, minRuns: 6, maxRuns: 12 },
      }),
    );
    // the same plan on one machine, meanwhile (its latencies are not compared)
    const single = join(dir, 'single.jsonl');
    const one = cli(['sweep', '--plan', plan, '--out', single, '--no-report'], { timeoutMs: 200_000 });
    const redis = await startRedis();
    const workers = ['w1', 'w2'].map((name) => start(['worker', '--queue', redis.url, '--name', name]));
    try {
      const out = join(dir, 'queue.jsonl');
      const coordinator = start(['sweep', '--plan', plan, '--queue', redis.url, '--lock-seconds', '3', '--out', out, '--no-report']);
      // w1's second cell: kill it (and its cell process) in the middle, then take Redis down and up again
      const measuring = () => [...workers[0].stderr().matchAll(/w1: measuring (\S+)/g)].map((m) => m[1]);
      await until('w1 to start its second cell', () => measuring().length >= 2, 120_000);
      const killed = measuring()[1];
      killGroup(workers[0], 'SIGKILL');
      await redis.restart(500);
      const code = await Promise.race([coordinator.exited, sleep(150_000).then(() => -1)]);
      expect(code, coordinator.stderr()).toBe(0);

      const rows = readRows(out).rows;
      expect(rows).toHaveLength(12);
      expect(new Set(rows.map((r) => r.cell)).size).toBe(12);
      expect(rows.find((r) => r.cell === killed)?.worker?.name).toBe('w2'); // the killed cell was taken over
      expect(rows.every((r) => r.error === null && r.latency !== null && r.env !== null)).toBe(true);
      expect(new Set(rows.map((r) => r.worker?.name))).toEqual(new Set(['w1', 'w2']));
      expect(coordinator.stderr()).not.toContain('internal error');

      const r = await one;
      expect(r.code, r.stderr).toBe(0);
      const byCell = (rs: ResultRow[]) => rs.map(content).sort((a, b) => a.cell.localeCompare(b.cell));
      expect(byCell(rows)).toEqual(byCell(readRows(single).rows));
    } finally {
      for (const w of workers) killGroup(w, 'SIGKILL');
      await redis.stop();
    }
  }, 300_000);

  it('a cell whose only try dies becomes an error row; a coordinator killed -9 and resumed neither loses nor repeats rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-queue-test-'));
    const out = join(dir, 'faults.jsonl');
    const models = ['mobilenetv2_050', 'mobilevit_xxs', 'mobilevitv2_050', 'mobilevitv2_075', 'mobilenetv2_100'].map((m) => `${m}:resolution=64`).join(',');
    const sweep = ['sweep', '--models', models, '--runner', 'ort-node:cpu', '--min-runs', '6', '--max-runs', '10', '--budget-ms', '100', '--name', 'queue-faults'];
    const queueArgs = (url: string) => [...sweep, '--queue', url, '--attempts', '1', '--lock-seconds', '2', '--out', out, '--no-report'];
    const redis = await startRedis();
    const w1 = start(['worker', '--queue', redis.url, '--name', 'w1']);
    let w2: Proc | undefined;
    try {
      const first = start(queueArgs(redis.url));
      await until('w1 to start a cell', () => /w1: measuring (\S+)/.test(w1.stderr()), 120_000);
      const killed = /w1: measuring (\S+)/.exec(w1.stderr())![1];
      killGroup(w1, 'SIGKILL');
      w2 = start(['worker', '--queue', redis.url, '--name', 'w2']);
      const rowsNow = () => (existsSync(out) ? readRows(out).rows.length : 0);
      await until('a first row', () => rowsNow() >= 1);
      killGroup(first, 'SIGKILL'); // the coordinator; w2 goes on, its rows wait in Redis
      await first.exited;
      const resumed = start(queueArgs(redis.url).concat('--resume'));
      expect(await resumed.exited, resumed.stderr()).toBe(0);

      const rows = readRows(out).rows;
      expect(rows.map((r) => r.cell).sort()).toEqual([...new Set(rows.map((r) => r.cell))].sort());
      expect(rows).toHaveLength(5);
      expect(new Set(rows.map((r) => r.sweep)).size).toBe(1);
      const failed = rows.find((r) => r.cell === killed)!;
      expect(failed.error).toMatchObject({ code: 'CRASH', message: expect.stringMatching(/gave up after 1 try on the queue's workers \(--attempts\): its worker stopped answering mid-cell/) });
      expect(rows.filter((r) => r.cell !== killed).every((r) => r.error === null && r.worker?.name === 'w2')).toBe(true);
    } finally {
      for (const w of [w1, w2]) if (w) killGroup(w, 'SIGKILL');
      await redis.stop();
    }
  }, 200_000);

  it('an .onnx file of the plan: its bytes go through Redis (the file gone from the disk by then), hash-checked, one row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-queue-onnx-'));
    const file = join(dir, 'mnv2.onnx');
    writeFileSync(file, prepareModel('mobilenetv2_050:resolution=64').onnx);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const out = join(dir, 'onnx.jsonl');
    const redis = await startRedis();
    let worker: Proc | undefined;
    try {
      const coordinator = start(['sweep', '--onnx', file, '--runner', 'ort-node:cpu', '--min-runs', '6', '--max-runs', '8', '--budget-ms', '50', '--name', 'queue-onnx', '--queue', redis.url, '--out', out, '--no-report']);
      await until('the cell on the queue', () => /1 cells on the queue/.test(coordinator.stderr()));
      rmSync(file); // only the coordinator's Redis has the bytes now
      worker = start(['worker', '--queue', redis.url, '--name', 'w1']);
      expect(await coordinator.exited, coordinator.stderr()).toBe(0);
      const [row, ...more] = readRows(out).rows;
      expect(more).toHaveLength(0);
      expect(row).toMatchObject({ spec: `mnv2.onnx@${sha256.slice(0, 12)}`, family: 'onnx', error: null, worker: { name: 'w1' }, accuracy: { kind: 'none' }, onnx: { file: 'mnv2.onnx', sha256 } });
      expect(JSON.stringify(row)).not.toContain(dir); // no machine path in the row
    } finally {
      if (worker) killGroup(worker, 'SIGKILL');
      await redis.stop();
    }
  }, 120_000);

  it('a bad --queue is a user error naming the option; a password never appears', async () => {
    for (const [args, message] of [
      [['sweep', '--models', 'mobilevit_xxs', '--queue', 'http://x:6379', '--shard', '1/2'], /--queue http:\/\/x:6379\/: expected a redis:\/\/ or rediss:\/\/ URL/],
      [['sweep', '--models', 'mobilevit_xxs', '--queue', 'redis://127.0.0.1:1/0', '--shard', '1/2'], /--queue and --shard/],
      [['worker', '--queue', 'redis://u:s3cret@127.0.0.1:6379/x'], /--queue redis:\/\/u:\*\*\*@127.0.0.1:6379\/x: the database '\/x' must be a number/],
      [['search', '--runner', 'null', '--queue', 'redis://u:s3cret@127.0.0.1:6379/x'], /--queue redis:\/\/u:\*\*\*@127.0.0.1:6379\/x: the database '\/x' must be a number/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('s3cret');
    }
  });
});
