/**
 * Results that must not lie by omission, through the real CLI: failed cells are counted and can fail CI and be
 * measured again (the new row supersedes the old one in every reader), a CI below 95% says so, and a cell measured
 * while other processes burn the CPU is marked contended and can be measured again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows, type ResultRow } from '@mvbench/results';
import { summarize } from '@mvbench/runner-core';
import { cli } from './cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'mvbench-honest-'));
const MODELS = ['mobilenetv2_050:resolution=64', 'swiftformer_xs:resolution=64'];

function planFile(dir: string, plan: object): string {
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify({ name: 'honest', models: MODELS, runners: [{ runner: 'null', threads: [1] }], measure: { budgetMs: 100, minRuns: 6 }, ...plan }));
  return file;
}

const csvLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe('sweep results that do not lie by omission', () => {
  it('--retry-failed and --retry-contended only with --resume (exit 2, naming the flag)', async () => {
    const dir = tmp();
    for (const flag of ['--retry-failed', '--retry-contended']) {
      const r = await cli(['sweep', '--plan', planFile(dir, {}), '--out', join(dir, 'r.jsonl'), '--no-report', flag]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${flag} re-measures cells of the sweep in the results file: use it with --resume`);
    }
  });

  it('failed cells: counted by code, --fail-on-error exits 1, --retry-failed measures them again and readers take the new row', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    // a timeout far below a process start: every cell fails
    const failing = planFile(dir, { timeoutS: 0.05 });
    const first = await cli(['sweep', '--plan', failing, '--out', out, '--no-report']);
    expect(first.code, first.stderr).toBe(0); // without the flag a sweep with failed cells still exits 0
    expect(first.stdout).toContain('2 cell(s) failed (TIMEOUT x2)');
    expect(first.stdout).toContain('--resume --retry-failed');
    const gate = await cli(['sweep', '--plan', failing, '--out', join(dir, 'gate.jsonl'), '--no-report', '--fail-on-error', '--json']);
    expect(gate.code, gate.stderr).toBe(1);
    expect(readRows(join(dir, 'gate.jsonl')).rows).toHaveLength(2); // the rows are written either way

    // a plain --resume keeps the failed rows: nothing to do
    const resumed = await cli(['sweep', '--plan', failing, '--out', out, '--no-report', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readRows(out).rows).toHaveLength(2);

    // the same plan with a timeout that fits, resumed with --retry-failed: both cells measured again
    planFile(dir, { timeoutS: 300 });
    const retry = await cli(['sweep', '--plan', failing, '--out', out, '--resume', '--retry-failed', '--fail-on-error', '--report-dir', dir, '--csv', join(dir, 'sweep.csv')]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).not.toMatch(/failed/);
    const rows = readRows(out).rows;
    expect(rows.map((r) => r.error?.code ?? 'ok')).toEqual(['TIMEOUT', 'TIMEOUT', 'ok', 'ok']);
    expect(new Set(rows.map((r) => r.sweep)).size).toBe(1);
    for (const r of rows.slice(2)) expect(r.latency!.ciCoverage).toBeGreaterThanOrEqual(0.95);

    // every reader takes the latest row of a cell: the sweep's own report and CSV, report, export
    expect(readFileSync(join(dir, 'honest.html'), 'utf8')).not.toContain('TIMEOUT');
    expect(csvLines(join(dir, 'sweep.csv'))).toHaveLength(3);
    const report = await cli(['report', out, '-o', join(dir, 'again.html')]);
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'again.html'), 'utf8');
    expect(html).not.toContain('TIMEOUT');
    expect(html).toContain('2 cells: 2 measured, 0 failed');
    const all = await cli(['report', out, '--sweep', 'all', '-o', join(dir, 'all.html')]);
    expect(all.code, all.stderr).toBe(0);
    expect(readFileSync(join(dir, 'all.html'), 'utf8')).toContain('2 cells: 2 measured, 0 failed');
    const exported = await cli(['export', out, '--csv', join(dir, 'export.csv')]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = csvLines(join(dir, 'export.csv'));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('TIMEOUT');
  });

  it('a CI from fewer than 6 runs is reported with its real coverage, not as 95%', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    expect((await cli(['sweep', '--plan', planFile(dir, {}), '--out', out, '--no-report'])).code).toBe(0);
    // a row as other tools (or older sweeps) write them: five samples, whose [min, max] covers the median 93.75% of the time
    const [row] = readRows(out).rows;
    const samplesMs = [1.1, 1.3, 1.2, 1.5, 1.4];
    const short: ResultRow = { ...row, cell: `${row.cell}-short`, samplesMs, latency: summarize(samplesMs) };
    writeFileSync(out, `${readFileSync(out, 'utf8')}${JSON.stringify(short)}\n`);
    expect(readRows(out).rows.at(-1)!.latency!.ciCoverage).toBe(0.9375);
    const r = await cli(['report', out, '-o', join(dir, 'r.html')]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('1.100–1.500 (93.8% CI)');
    expect(html).toContain('less for 1 cell with fewer than 6 runs');
  });

  it('a cell measured beside CPU-burning processes is marked contended, in the row, the summary and the report, and --retry-contended measures it again', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    // ort-node with a CI target it cannot reach: the timed runs fill the 1.5 s budget while the burners run
    const plan = planFile(dir, { models: [MODELS[0]], runners: [{ runner: 'ort-node:cpu', threads: [1] }], measure: { budgetMs: 1500, minRuns: 6, targetRelCi: 1e-6 } });
    // one busy loop per core, each ending by itself after 3 minutes at the latest (and killed when the cell is done)
    const burners: ChildProcess[] = Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ['-e', 'const end = Date.now() + 180000; while (Date.now() < end);'], { stdio: 'ignore' }),
    );
    let r;
    try {
      await Promise.all(burners.map((b) => new Promise((resolve) => b.once('spawn', resolve))));
      r = await cli(['sweep', '--plan', plan, '--out', out, '--report-dir', dir], { timeoutMs: 300_000 });
    } finally {
      for (const b of burners) b.kill('SIGKILL');
    }
    expect(r.code, r.stderr).toBe(0);
    const [row] = readRows(out).rows;
    expect(row.error).toBeNull();
    expect(row.load).toMatchObject({ contended: true, loadavgBefore: expect.any(Number), loadavgAfter: expect.any(Number) });
    expect(row.load!.otherCores).toBeGreaterThanOrEqual(0.25);
    expect(r.stdout).toContain('1 cell(s) measured while other processes competed for the CPU');
    expect(r.stdout).toContain('CONTENDED');
    expect(readFileSync(join(dir, 'honest.html'), 'utf8')).toMatch(/<tr class="contended"[^]*CONTENDED: other processes kept [\d.]+ cores busy/);

    // measured again: a second row for the cell, and the readers show that one (on this shared machine it may be
    // contended again: the decision itself is tested on recorded numbers in runner-core load.test.ts)
    const again = await cli(['sweep', '--plan', plan, '--out', out, '--no-report', '--resume', '--retry-contended'], { timeoutMs: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    const rows = readRows(out).rows;
    expect(rows).toHaveLength(2);
    expect(rows[1].cell).toBe(rows[0].cell);
    expect(rows[1].startedAt > rows[0].startedAt).toBe(true);
    expect((await cli(['export', out, '--csv', join(dir, 'e.csv')])).code).toBe(0);
    const lines = csvLines(join(dir, 'e.csv'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(rows[1].startedAt);
  });
});
