import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir, removeStaleTempDirs } from './temp-dirs.ts';

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('temporary folders', () => {
  it('a stale folder is removed only when its process is dead and it is older than a day', () => {
    const root = mkdtempSync(join(tmpdir(), 'mvb-tmp-'));
    const dead = deadPid();
    const folder = (name: string, ageH: number) => {
      const dir = join(root, name);
      mkdirSync(dir);
      const t = (Date.now() - ageH * 3600_000) / 1000;
      utimesSync(dir, t, t);
      return dir;
    };
    const stale = [folder(`mvbench-sweep-${dead}-aB3xY9`, 30), folder(`mvbench-base-${dead}-aB3xY9`, 30)];
    const kept = [
      folder(`mvbench-sweep-${dead}-fresh1`, 1), // perhaps a process in another pid namespace
      folder(`mvbench-sweep-${process.ppid}-alive1`, 30),
      folder('mvbench-sweep-aB3xY9', 30), // no pid in the name: a test's folder, or an older version's
      folder(`other-${dead}-aB3xY9`, 30),
    ];
    expect(removeStaleTempDirs(root).sort()).toEqual(stale.sort());
    for (const dir of kept) expect(existsSync(dir), dir).toBe(true);
  });

  it('a folder is removed by remove(), once, after its hook', () => {
    const calls: string[] = [];
    const t = makeTempDir('mvbench-sweep', (dir) => calls.push(dir));
    expect(t.dir).toMatch(new RegExp(`mvbench-sweep-${process.pid}-\\w{6}$`));
    t.remove();
    t.remove();
    expect(existsSync(t.dir)).toBe(false);
    expect(calls).toEqual([t.dir]);
  });

  it('SIGTERM to a process without a handler of its own: the folder is removed and the exit code says SIGTERM', async () => {
    const module = fileURLToPath(new URL('./temp-dirs.ts', import.meta.url));
    const script = `const t = (await import(${JSON.stringify(module)})).makeTempDir('mvbench-base'); console.log(t.dir); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(existsSync(dir)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(existsSync(dir)).toBe(false);
  });
});
