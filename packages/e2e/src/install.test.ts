/**
 * The installed command: `apps/sweep/bin/mvbench.js` linked into a folder outside the checkout (as `pnpm link
 * --global` or `npm link` does) and started from there, where no tsx resolves from the working directory. A sweep
 * from there starts its cell processes too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../apps/sweep/bin/mvbench.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mvbench-install-'));
const linked = join(dir, 'mvbench');
symlinkSync(bin, linked);

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(linked, args, { cwd: dir, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr })),
  );

describe('mvbench installed outside the checkout', () => {
  it('--version prints mvbench, Node and the runtimes with their versions', async () => {
    const r = await run(['--version', '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, string>;
    const own = JSON.parse(readFileSync(new URL('../../../apps/sweep/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(v.mvbench).toBe(own.version);
    expect(v.node).toBe(process.version);
    expect(v['onnxruntime-node']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v['onnxruntime-web']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v['@tensorflow/tfjs-core']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  // hyperfine's controls: a fixed warm-up, a fixed number of runs per process, pooled processes
  const timing = ['--warmup', '3', '--min-runs', '7', '--max-runs', '7', '--processes', '2'];

  it('a sweep started there measures its cell in child processes, with the hyperfine-style controls', async () => {
    const out = join(dir, 'r.jsonl');
    const r = await run(['sweep', '--models', 'mobilenetv2_050:resolution=64', '--runner', 'null', ...timing, '--max-minutes', 'none', '--out', out, '--no-report', '--json']);
    expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(r.code).toBe(0);
    const row = JSON.parse(readFileSync(out, 'utf8').trim()) as { error: unknown; latency: { n: number }; warmupRuns: number; processes: number };
    expect(row.error).toBeNull();
    expect(row).toMatchObject({ latency: { n: 14 }, warmupRuns: 3, processes: 2 });
  });

  it('run times any .onnx file with the same controls', async () => {
    const onnx = join(dir, 'm.onnx');
    expect((await run(['emit', 'mobilenetv2_050:resolution=64', '-o', onnx])).code).toBe(0);
    const r = await run(['run', onnx, '--runner', 'null', ...timing, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const latency = (JSON.parse(r.stdout) as { latency: { ok: boolean; stats: { n: number }; warmupRuns: number } }).latency;
    expect(latency).toMatchObject({ ok: true, stats: { n: 14 }, warmupRuns: 3 });
  });
});
