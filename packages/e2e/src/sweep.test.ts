/**
 * The sweep as a user runs it: the smoke plan end to end in a child process (real onnxruntime sessions in real
 * child processes), kill -9 in the middle then --resume, and bad input failing before anything is measured.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRows } from '@mvbench/results';
import { launchBrowser } from '@mvbench/browser';
import { cli, cliCommand } from './cli.ts';

/** the report of real rows opened offline in Chromium: every figure drew an SVG, no script error, no request */
async function expectReportRenders(file: string, minFigures = 4): Promise<void> {
  const chromium = await launchBrowser();
  try {
    const page = await chromium.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => !/^(file|data|blob|about):/.test(r.url()) && problems.push(`request ${r.url()}`));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('window.mvbench && window.mvbench.ready === true', { timeout: 20_000 });
    expect(await page.evaluate('window.mvbench.errors')).toEqual([]);
    const svgs = (await page.evaluate(`[...document.querySelectorAll('.vis')].map((el) => el.querySelectorAll('svg .mark-symbol path, svg .mark-rect path').length)`)) as number[];
    expect(svgs.length).toBeGreaterThanOrEqual(minFigures);
    expect(svgs.every((n) => n > 0), `marks per figure: ${svgs}`).toBe(true);
    expect(problems).toEqual([]);
  } finally {
    await chromium.close();
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mvbench-sweep-'));

describe('mvbench sweep', () => {
  it('runs the smoke plan: one row per cell with statistics, environment and profile', async () => {
    const dir = tmp();
    const out = join(dir, 'smoke.jsonl');
    const r = await cli(['sweep', '--plan', 'smoke', '--out', out, '--report-dir', dir, '--csv', join(dir, 'smoke.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const { rows, skipped } = readRows(out);
    expect(skipped).toEqual([]);
    expect(rows.map((x) => x.spec)).toEqual(['mobilevit_xxs', 'mobilevit_xxs:patch=B', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050']);
    for (const row of rows) {
      expect(row.error).toBeNull();
      expect(row.latency!.n).toBeGreaterThanOrEqual(10);
      expect(row.latency!.ciLow).toBeLessThanOrEqual(row.latency!.median);
      expect(row.samplesMs).toHaveLength(row.latency!.n);
      expect(row.threadsUsed).toBe(1);
      expect(row.env!.runtime['onnxruntime-node']).toBe('1.30.0');
      expect(row.profile!.byCategory.convolution).toBeGreaterThan(0);
    }
    expect(rows[0].accuracy).toMatchObject({ kind: 'published', value: 69 });
    expect(rows[1].accuracy.kind).toBe('none');
    expect(rows[0].profile!.byScope['stages.2 attention']).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/Pareto front/);
    expect(readFileSync(join(dir, 'smoke.csv'), 'utf8').split('\n')).toHaveLength(7);
    await expectReportRenders(join(dir, 'smoke.html'));
  });

  it('kill -9 mid-sweep, then --resume: every finished cell is there once and nothing is corrupt', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    const args = ['sweep', '--plan', 'smoke', '--out', out, '--no-report'];
    const child = spawn(cliCommand.bin, [...cliCommand.args, ...args], { detached: true, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 2) {
          clearInterval(poll);
          process.kill(-child.pid!, 'SIGKILL');
          resolve();
        }
      }, 20);
    });
    const before = readRows(out).rows;
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(5);
    const r = await cli([...args, '--resume']);
    expect(r.code, r.stderr).toBe(0);
    const after = readRows(out);
    expect(after.skipped).toEqual([]);
    expect(after.rows.map((x) => x.cell).sort()).toEqual([...new Set(after.rows.map((x) => x.cell))].sort());
    expect(after.rows).toHaveLength(5);
    expect(new Set(after.rows.map((x) => x.sweep)).size).toBe(1);
    expect(after.rows.slice(0, before.length)).toEqual(before);
  });

  it('a timeout and a model that cannot be built become error rows; the sweep goes on', async () => {
    const dir = tmp();
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({
      name: 'faults',
      models: ['mobilevit_xxs:resolution=224', 'mobilenetv2_050:resolution=64'],
      runners: [{ runner: 'ort-node:cpu', threads: [1] }],
      measure: { budgetMs: 200, minRuns: 6 },
      timeoutS: 0.05,
    }));
    const out = join(dir, 'r.jsonl');
    const r = await cli(['sweep', '--plan', plan, '--out', out, '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    const rows = readRows(out).rows;
    expect(rows.map((x) => x.error?.code)).toEqual(['PATCH_DOES_NOT_DIVIDE', 'TIMEOUT']);
    expect(rows[0].error!.message).toContain("block 'stages.4.1'");
    expect(r.stdout).toMatch(/2 cell\(s\) failed/);
  });

  it('bad input fails before anything is measured, with exit code 2', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', models: ['mobilevit_xxs'], runners: [{ runner: 'ort-node:cpu', threads: ['two'] }] }));
    const cases: [string[], RegExp][] = [
      [['sweep', '--plan', bad], /invalid plan .*bad\.json:\n\s+runners\.0\.threads\.0: /],
      [['sweep', '--plan', 'nightly'], /unknown plan 'nightly': built-in plans are default, smoke/],
      [['sweep', '--models', 'mobilevit_xxs', '--runner', 'webgpu'], /unknown runner 'webgpu'; available runners: ort-node:cpu/],
      [['sweep', '--family', 'mobilevitv2', '--widths', '0.5,x'], /--widths: 'x' is not a decimal number/],
      [['sweep', '--plan', 'smoke', '--out', join(bad, 'r.jsonl')], /results file .* is not writable/],
      [['sweep', '--plan', 'smoke', '--shard', '3/2'], /--shard '3\/2'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('shards run separately and merge into one results file', async () => {
    const dir = tmp();
    const args = (i: number) => ['sweep', '--models', 'mobilenetv2_050:resolution=96,mobilevit_xxs:resolution=96', '--threads', '1,2', '--budget-ms', '150', '--no-report', '--shard', `${i}/2`, '--out', join(dir, `s${i}.jsonl`)];
    for (const i of [1, 2]) expect((await cli(args(i))).code).toBe(0);
    const m = await cli(['merge', join(dir, 's1.jsonl'), join(dir, 's2.jsonl'), '-o', join(dir, 'all.jsonl'), '--json']);
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ rows: 4, duplicates: 0 });
    const rows = readRows(join(dir, 'all.jsonl')).rows;
    expect(new Set(rows.map((r) => r.cell)).size).toBe(4);
    expect(new Set(rows.map((r) => r.sweep)).size).toBe(1);
  });

  it('accuracy kinds: proxy and zero-cost computed once per spec, labelled in every row, each on its own report axis', async () => {
    const dir = tmp();
    const out = join(dir, 'acc.jsonl');
    const plan = (name: string, accuracy: object) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ name, models: ['swiftformer_xs:resolution=64', 'mobilenetv2_050:resolution=64'], runners: [{ runner: 'ort-node:cpu', threads: [1, 2] }], measure: { budgetMs: 150, minRuns: 6 }, accuracy }));
      return file;
    };
    const proxy = { kind: 'proxy', resolution: 32, epochs: 1, batch: 16, trainImages: 32, testImages: 32, classes: 4 };
    for (const [name, accuracy] of [['acc-proxy', proxy], ['acc-zc', { kind: 'zero-cost', proxy: 'synflow', batch: 4 }]] as const) {
      const r = await cli(['sweep', '--plan', plan(name, accuracy), '--out', out, '--no-report'], { timeoutMs: 300_000 });
      expect(r.code, r.stderr).toBe(0);
    }
    const rows = readRows(out).rows;
    expect(rows).toHaveLength(8);
    const [p, z] = [rows.filter((r) => r.plan === 'acc-proxy'), rows.filter((r) => r.plan === 'acc-zc')];
    for (const r of p) expect(r.accuracy).toMatchObject({ kind: 'proxy', metric: 'top1', seed: 0, dataset: expect.stringMatching(/^synthetic shapes train/) });
    expect(p[0].accuracy).toEqual(p[1].accuracy); // one training per spec, shared by its cells
    expect(p[0].accuracy.value).toBeGreaterThanOrEqual(0);
    // synflow overflows float32 on SwiftFormer: no value, and the row says why; MobileNetV2 has a finite one
    expect(z[0].accuracy).toMatchObject({ kind: 'zero-cost', metric: 'synflow', value: null, error: expect.stringMatching(/float32/) });
    expect(z[2].accuracy).toMatchObject({ kind: 'zero-cost', metric: 'synflow', value: expect.any(Number) });
    const report = await cli(['report', out, '--sweep', 'all', '-o', join(dir, 'acc.html')]);
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(dir, 'acc.html'), 'utf8');
    expect(html).toContain('top-1 % (proxy)');
    expect(html).toContain('synflow (zero-cost proxy, not accuracy)');
    await expectReportRenders(join(dir, 'acc.html'), 2);
  });
});
