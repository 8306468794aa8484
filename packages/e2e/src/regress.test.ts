/**
 * `mvbench regress` as CI runs it, in a clone of this repository: base = HEAD (an A/A check), a history row and
 * the history report written, the temporary worktree removed; bad revisions and dirty trees refused up front.
 * Both metrics by default: the instruction counts run under real Valgrind (.ci/run installs it).
 * Detection rates are a benchmark's job (benchmarks/regress/detection.ts), not a test's.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { HistoryRow, readJsonl } from '@mvbench/results';
import { cli } from './cli.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mvbench-regress-'));
const repo = join(dir, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', root, repo]);
  execFileSync('pnpm', ['install', '--offline', '--frozen-lockfile'], { cwd: repo, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  writeFileSync(join(dir, 'plan.json'), JSON.stringify({ name: 'tiny', models: ['mobilenetv2_050:resolution=64'], runners: [{ runner: 'ort-node:cpu', threads: [1] }], measure: { budgetMs: 300, minRuns: 10 }, accuracy: 'none' }));
}, 120_000);

const regress = (...args: string[]) => cli(['regress', '--plan', join(dir, 'plan.json'), ...args], { cwd: repo, main: join(repo, 'apps/sweep/src/main.ts') });

describe('mvbench regress', () => {
  it('an A/A check completes, appends history, writes the history report and leaves no worktree', async () => {
    const history = join(dir, 'results', 'history', 'tiny.jsonl');
    const r = await regress('--base', 'HEAD', '--history', history, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results).toHaveLength(1);
    expect(['same', 'noise', 'faster']).toContain(out.results[0].verdict);
    expect(out.results[0].first.nBase).toBeGreaterThanOrEqual(10);
    const rows = readJsonl(history, HistoryRow).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ commit: git('rev-parse', 'HEAD'), spec: 'mobilenetv2_050:resolution=64', threads: 1 });
    expect(rows[0].relative).toBeCloseTo(rows[0].medianMs / rows[0].calibrationMs, 10);
    expect(rows[0].calibration!.matmulGflops1).toBeGreaterThan(0); // the machine's speed, measured at the start of the check
    // the instruction metric beside it: base and head emit the same graph, so one count serves both sides
    const instr = out.results[0].instructions;
    expect(instr.verdict).toBe('same');
    expect(instr.ratio).toBe(1);
    expect(out.results[0].instructionsNote).toMatch(/same graph as base: counted once/);
    expect(instr.head.runs).toBe(3);
    expect(rows[0].instructions).toMatchObject({ perInference: instr.head.instructions, verdict: 'same' });
    expect(existsSync(out.historyReport)).toBe(true);
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('--metric instructions catches one injected element-wise op and exits 1, wall time not measured', async () => {
    const r = await regress('--base', 'HEAD', '--metric', 'instructions', '--inject-slowdown', '1', '--no-history-file', '--json');
    expect(r.code, r.stderr).toBe(1);
    const [res] = JSON.parse(r.stdout).results;
    expect(res.verdict).toBe('not-measured');
    expect(res.instructions.verdict).toBe('regression');
    expect(res.instructions.ratio).toBeGreaterThan(1 + res.instructions.threshold);
  });

  it('refuses a base that does not exist and a dirty work tree, before doing anything', async () => {
    const bad = await regress('--base', 'no-such-branch');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/base revision 'no-such-branch' does not exist/);
    appendFileSync(join(repo, 'README.md'), '\nlocal edit\n');
    const dirty = await regress('--base', 'HEAD');
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toMatch(/uncommitted changes[\s\S]*README\.md/);
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
    git('checkout', 'README.md');
  });
});
