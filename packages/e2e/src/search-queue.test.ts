/**
 * A search on the job queue, through the CLI: a real redis-server, real worker processes and the coordinator. A worker
 * is killed -9 in its first job and the coordinator is killed -9 after its first row, then resumed: every
 * evaluation lands exactly once, and its latency carries the worker that measured it.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows } from '@mvbench/results';
import { startRedis } from '@mvbench/queue/testing';
import { killGroup, start, until, type Proc } from './processes.ts';

// cheap: a tiny space, population 2, two generations, proxy trainings on 16 and 32 synthetic images at 32 px
const fidelities = [{ resolution: 32, epochs: 1, trainImages: 16, batch: 8 }, { resolution: 32, epochs: 1, trainImages: 32, batch: 8 }];
const space = { mobilenetv2: { width: [0.5, 0.75], resolution: [64], expand: [3, 4] } };

describe('mvbench search --queue', () => {
  it('workers measure and train; one killed -9 mid-job, the coordinator killed -9 and resumed: every evaluation exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-search-queue-'));
    const out = join(dir, 'search.jsonl');
    const spaceFile = join(dir, 'space.json');
    writeFileSync(spaceFile, JSON.stringify(space));
    const redis = await startRedis();
    const search = ['search', '--space', spaceFile, '--runner', 'ort-node:cpu', '--population', '2', '--evaluations', '4', '--anchors', 'none', '--test-images', '16', '--measure-ms', '100'];
    const args = [...search, '--fidelities', JSON.stringify(fidelities), '--queue', redis.url, '--lock-seconds', '3', '--out', out];
    const workers: Proc[] = ['w1', 'w2'].map((name) => start(['worker', '--queue', redis.url, '--name', name]));
    try {
      const first = start(args);
      // w1 dies in its first job (a measurement or a training): it goes to another worker after the lock
      const firstJob = () => /w1: (measuring \S+|proxy accuracy of \S+)/.exec(workers[0].stderr())?.[1];
      await until('w1 to start a job', () => firstJob() !== undefined, 120_000);
      const killed = firstJob()!;
      killGroup(workers[0], 'SIGKILL');
      workers.push(start(['worker', '--queue', redis.url, '--name', 'w3']));
      await until('a first row', () => existsSync(out) && readRows(out).rows.length >= 1, 120_000);
      killGroup(first, 'SIGKILL');
      await first.exited;
      const resumed = start([...args, '--resume', '--json']);
      expect(await resumed.exited, resumed.stderr()).toBe(0);

      const rows = readRows(out).rows;
      // 2 generations of 2 candidates: both trained at fidelity 0, the better one at fidelity 1
      expect(rows).toHaveLength(6);
      expect(new Set(rows.map((r) => `${r.spec}#${r.search?.fidelity}`)).size).toBe(6);
      expect(new Set(rows.map((r) => r.sweep)).size).toBe(1);
      for (const r of rows) {
        expect(r.error, r.spec).toBeNull();
        expect(r.accuracy.kind).toBe('proxy');
        expect(r.accuracy.value, r.accuracy.error).not.toBeNull();
      }
      // a latency measured in this run names its worker, never the one killed before it finished anything
      const measured = rows.filter((r) => r.latency !== null);
      expect(measured.length).toBeGreaterThan(0);
      for (const r of measured) expect(['w2', 'w3']).toContain(r.worker?.name);
      const summary = JSON.parse(resumed.stdout());
      expect(summary.resumedRows).toBeGreaterThanOrEqual(1);
      expect(summary.resumedRows + summary.newRows).toBe(6);
      expect(summary.evaluations).toBe(4);
      expect(summary.front.length).toBeGreaterThan(0);
      expect(resumed.stderr()).not.toContain('internal error');
      expect(workers[1].stderr() + workers[2].stderr()).toContain(`${killed} (try 2)`);
    } finally {
      for (const w of workers) killGroup(w, 'SIGKILL');
      await redis.stop();
    }
  }, 300_000);
});
