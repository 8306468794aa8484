/**
 * Bad results files and interrupted sweeps, through the real CLI with the null runner: report and merge name the
 * file and what is wrong, a data-derived report name stays in its folder, a resumed sweep repairs a cut last line,
 * and a sweep ended by SIGTERM leaves no temporary folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRows, type ResultRow } from '@mvbench/results';
import { cli, cliCommand } from './cli.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mvb-bad-files-'));
const sweepArgs = (out: string) => ['sweep', '--models', 'mobilenetv2_050:resolution=64,mobilevit_xxs:resolution=64', '--runner', 'null', '--threads', '1,2', '--budget-ms', '50', '--no-report', '--out', out];
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');
/** a copy of a results file with every row edited */
function rewrite(from: string, to: string, edit: (r: ResultRow) => ResultRow): string {
  writeFileSync(join(dir, to), lines(from).map((l) => JSON.stringify(edit(JSON.parse(l)))).join('\n') + '\n');
  return join(dir, to);
}
const expectUserError = (r: { code: number; stderr: string }, message: RegExp) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error/);
};

const [s1, s2] = [join(dir, 's1.jsonl'), join(dir, 's2.jsonl')];
beforeAll(async () => {
  for (const [i, out] of [s1, s2].entries()) {
    const r = await cli([...sweepArgs(out), '--shard', `${i + 1}/2`]);
    expect(r.code, r.stderr).toBe(0);
  }
});

describe('merge refuses what it cannot merge honestly', () => {
  it('shards of different plans: names both files and their sweeps', async () => {
    const other = rewrite(s2, 'other-plan.jsonl', (r) => ({ ...r, plan: 'other', sweep: r.sweep.replace(/^custom/, 'other') }));
    const r = await cli(['merge', s1, other, '-o', join(dir, 'm.jsonl')]);
    expectUserError(r, /cannot merge .*s1\.jsonl \(sweep 'custom-[^']*-shard1of2', plan 'custom'\) with .*other-plan\.jsonl \(sweep 'other-[^']*-shard2of2', plan 'other'\): .*different plans/);
    expect(existsSync(join(dir, 'm.jsonl'))).toBe(false);
  });

  it('shards of different splits, the same shard twice, or sweeps that are not shards', async () => {
    const of3 = rewrite(s2, 'of3.jsonl', (r) => ({ ...r, sweep: r.sweep.replace('of2', 'of3') }));
    expectUserError(await cli(['merge', s1, of3, '-o', join(dir, 'm.jsonl')]), /of3\.jsonl .*split into 2 shards, the other into 3/);
    const again = rewrite(s1, 'again.jsonl', (r) => ({ ...r, sweep: r.sweep.replace(/-\d+Z/, '-999Z') }));
    expectUserError(await cli(['merge', s1, s2, again, '-o', join(dir, 'm.jsonl')]), /s1\.jsonl .* with .*again\.jsonl .*both are shard 1 of 2, from different runs/);
    const whole = rewrite(s2, 'whole.jsonl', (r) => ({ ...r, sweep: r.sweep.replace('-shard2of2', '') }));
    expectUserError(await cli(['merge', s1, whole, '-o', join(dir, 'm.jsonl')]), /whole\.jsonl .*different sweeps, not shards of one/);
  });

  it('an empty or garbage file: names it', async () => {
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'garbage.jsonl'), 'hello\nworld\n');
    expectUserError(await cli(['merge', s1, join(dir, 'empty.jsonl'), '-o', join(dir, 'm.jsonl')]), /no valid result rows in .*empty\.jsonl \(the file is empty\)/);
    expectUserError(await cli(['merge', join(dir, 'garbage.jsonl'), s2, '-o', join(dir, 'm.jsonl')]), /no valid result rows in .*garbage\.jsonl \(2 invalid line\(s\)\)/);
  });

  it('corrupt lines are counted in one line per file, and the shards still merge', async () => {
    const corrupt = join(dir, 's1-corrupt.jsonl');
    writeFileSync(corrupt, `${lines(s1)[0]}\n{"cut\n${'x\n'.repeat(1000)}${lines(s1)[1]}\n`);
    const r = await cli(['merge', corrupt, s2, '-o', join(dir, 'm.jsonl'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /^mvbench: .*s1-corrupt/.test(l))).toEqual([expect.stringMatching(/s1-corrupt\.jsonl: skipped 1001 invalid line\(s\) \(line 2, 3, 4, 5, 6, \.\.\.; line 2: not JSON/)]);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 4, duplicates: 0 });
    const merged = readRows(join(dir, 'm.jsonl'));
    expect(merged.skipped).toEqual([]);
    expect(new Set(merged.rows.map((x) => x.sweep)).size).toBe(1);
  });
});

describe('report and export of bad files', () => {
  it('a binary file: one summary line and "no valid result rows", not thousands of lines', async () => {
    const binary = join(dir, 'binary.jsonl');
    writeFileSync(binary, Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 256)));
    const r = await cli(['report', binary, '-o', join(dir, 'b.html')]);
    expectUserError(r, /no valid result rows in .*binary\.jsonl \(\d+ invalid line\(s\)\)/);
    expect(r.stderr.split('\n').filter((l) => l.includes('binary.jsonl'))).toHaveLength(2); // the summary and the error
    expect(r.stderr).not.toMatch(/undefined/);
  });

  it('an empty file given to export, a directory given to report, an unknown --sweep', async () => {
    writeFileSync(join(dir, 'empty2.jsonl'), '\n\n');
    expectUserError(await cli(['export', join(dir, 'empty2.jsonl'), '--csv', join(dir, 'e.csv')]), /no valid result rows in .*empty2\.jsonl/);
    mkdirSync(join(dir, 'a-folder'));
    expectUserError(await cli(['report', join(dir, 'a-folder')]), /a-folder is a directory, not a results file/);
    expectUserError(await cli(['report', s1, '--sweep', 'nope', '-o', join(dir, 'n.html')]), /--sweep: no rows of sweep 'nope' in .*s1\.jsonl; its sweeps are custom-.*-shard1of2, or all/);
  });

  it('a sweep id from the data cannot place the report outside the reports folder', async () => {
    const out = rewrite(s1, 'traversal.jsonl', (r) => ({ ...r, sweep: '../../../../x/y' }));
    const reports = join(dir, 'a', 'b', 'c', 'd', 'reports');
    // a resumed sweep keeps the file's sweep id, and its report is named after it
    const r = await cli([...sweepArgs(out), '--resume', '--report-dir', reports].filter((a) => a !== '--no-report'));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(reports)).toEqual(['x-y.html']);
    expect(existsSync(join(dir, 'a', 'x'))).toBe(false);
  });
});

describe('interrupted sweeps', () => {
  it('resume after a kill cut the last line: no row lost, no corrupt line, no duplicate cell', async () => {
    const [a, b, c] = [...lines(s1), ...lines(s2)];
    const out = join(dir, 'cut.jsonl');
    writeFileSync(out, `${a}\n${b}\n${c.slice(0, c.length >> 1)}`); // a kill in the middle of the third row's write
    const r = await cli([...sweepArgs(out), '--resume']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cut\.jsonl: removed a partial last line/);
    const after = readRows(out);
    expect(after.skipped).toEqual([]);
    expect(after.rows).toHaveLength(4);
    expect(new Set(after.rows.map((x) => x.cell)).size).toBe(4);
    expect(after.rows.slice(0, 2)).toEqual([JSON.parse(a), JSON.parse(b)]);
  });

  it('SIGTERM: the sweep removes its temporary folder; a stale one of a dead process goes at the next start', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mvb-tmpdir-'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = join(tmp, `mvbench-sweep-${dead}-aB3xY9`);
    mkdirSync(stale);
    utimesSync(stale, new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
    const out = join(dir, 'term.jsonl');
    const ours = () => readdirSync(tmp).filter((n) => n.startsWith('mvbench-'));
    // the sweep's own process (the tsx wrapper kills a child that does not answer a relayed signal within 60 ms);
    // long cells, so that it is still running when the signal comes
    const args = ['--import', 'tsx', ...cliCommand.args, ...sweepArgs(out), '--budget-ms', '3000'];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && readFileSync(out, 'utf8').includes('\n') && ours().length) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    expect(existsSync(stale)).toBe(false);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(ours()).toEqual([]);
    expect(readRows(out).skipped).toEqual([]);
  });
});
