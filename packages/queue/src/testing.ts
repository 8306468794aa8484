/** A real redis-server for tests and benchmarks: 127.0.0.1, a free port, a temporary directory, append-only file on
 *  (a restart keeps the queue, as a production Redis should). */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  /** stopped and started again on the same port and data */
  restart(downMs?: number): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

export async function startRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error("redis-server is not installed: apt-get install -y redis-server (Debian's package; .ci/run installs it)");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mvbench-redis-'));
  const url = `redis://127.0.0.1:${port}/0`;
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    for (let i = 0; i < 100; i++) {
      if (await probe.connect().then(() => true, () => false)) break;
      await sleep(50);
    }
    await probe.ping();
    probe.disconnect();
  };
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    restart: async (downMs = 1000) => {
      await stop();
      await sleep(downMs);
      await start();
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
