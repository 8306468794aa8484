/** What a user looks at before measuring: the command list, the plans, the runners here, the cells of a sweep. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandPlan, PLANS, validatePlan } from '@mvbench/plan';
import { RUNNERS } from '@mvbench/cell';
import { createProgram } from '../main.ts';
import { runCli } from './run-cli.ts';

const json = async (args: string[]) => {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('listing before measuring', () => {
  it('--help lists every command on one line with its description, and sweep --help every built-in plan', async () => {
    const lines = (await runCli(['--help'])).stdout.split('\n');
    for (const cmd of createProgram().commands) {
      const line = lines.find((l) => l.startsWith(`  ${cmd.name()} `));
      expect(line, cmd.name()).toBeDefined();
      expect(line!.endsWith(cmd.description()), line).toBe(true);
    }
    const sweepHelp = (await runCli(['sweep', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const name of Object.keys(PLANS)) expect(sweepHelp).toContain(name);
  });

  it('plans: every built-in plan with its cell count', async () => {
    const plans = (await json(['plans', '--json'])) as { name: string; cells: number }[];
    expect(plans.map((p) => p.name)).toEqual(Object.keys(PLANS));
    for (const p of plans) expect(p.cells).toBe(expandPlan(validatePlan(PLANS[p.name], p.name)).length);
  });

  it('runners: every runner with its versions; without Chromium the browser runners say why not', async () => {
    const saved = process.env.MVBENCH_CHROMIUM;
    process.env.MVBENCH_CHROMIUM = join(tmpdir(), 'no-such-chromium');
    try {
      const runners = (await json(['runners', '--json'])) as { id: string; available: boolean; unavailable?: string; versions: Record<string, string> }[];
      expect(runners.map((r) => r.id)).toEqual(RUNNERS.ids);
      const byId = new Map(runners.map((r) => [r.id, r]));
      expect(byId.get('ort-node:cpu')).toMatchObject({ available: true, versions: { 'onnxruntime-node': expect.stringMatching(/^\d+\.\d+\.\d+$/) } });
      for (const id of ['ort-web:wasm-browser', 'ort-web:webgl-browser', 'ort-web:webgpu-browser']) {
        expect(byId.get(id)!.available).toBe(false);
        expect(byId.get(id)!.unavailable).toMatch(/MVBENCH_CHROMIUM=.*no-such-chromium does not exist/);
      }
    } finally {
      if (saved === undefined) delete process.env.MVBENCH_CHROMIUM;
      else process.env.MVBENCH_CHROMIUM = saved;
    }
  });

  it('sweep --dry-run lists the cells of a plan or a grid (one shard of it) and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mvbench-dry-')), 'r.jsonl');
    const smoke = (await json(['sweep', '--plan', 'smoke', '--dry-run', '--json', '--out', out])) as { cells: { key: string }[] };
    expect(smoke.cells.map((c) => c.key)).toEqual(expandPlan(validatePlan(PLANS.smoke, 'smoke')).map((c) => c.key));
    const grid = ['sweep', '--family', 'mobilevitv2', '--widths', '0.5,0.75', '--attention', 'separable,additive', '--threads', '1,2', '--dry-run', '--json', '--out', out];
    expect(((await json(grid)) as { cells: unknown[] }).cells).toHaveLength(8);
    expect(((await json([...grid, '--shard', '2/3'])) as { cells: unknown[] }).cells).toHaveLength(3);
    const text = await runCli(['sweep', '--plan', 'smoke', '--dry-run', '--out', out]);
    expect(text.stdout).toMatch(/plan 'smoke': 5 cells \(5 models\); nothing measured/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('markdown export and the GitHub step summary', () => {
  it('export --markdown writes the table; compare appends its table to GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-md-'));
    const results = fileURLToPath(new URL('../../../../results/web.jsonl', import.meta.url));
    const rows = readFileSync(results, 'utf8').trim().split('\n').length;
    const md = join(dir, 'web.md');
    expect((await runCli(['export', results, '--markdown', md])).code).toBe(0);
    expect(readFileSync(md, 'utf8').split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(rows);
    const summary = join(dir, 'summary.md');
    process.env.GITHUB_STEP_SUMMARY = summary;
    try {
      expect((await runCli(['compare', results, results])).code).toBe(0);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^## mvbench compare: /);
    expect(text).toMatch(/\| SAME \|/);
    expect(text).not.toMatch(/REGRESSION|FASTER/);
  });
});
