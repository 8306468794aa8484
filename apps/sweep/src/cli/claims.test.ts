import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimRow, claimsRows } from '@mvbench/claims/testing';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-claims-'));
const results = (name: string, rows: object[]) => {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
};

describe('mvbench claims', () => {
  it('prints the verdict per claim and runner setting, and the cells still missing', async () => {
    const r = await runCli(['claims', results('claims.jsonl', claimsRows())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/v2-vs-v1 +3\.2x faster, \+1% top-1 +ort-node:cpu t1 +mobilevitv2_075 vs mobilevit_xs +3\.10x \[[\d.]+, [\d.]+\] +holds /);
    expect(r.stdout).toContain('measure: pnpm mvbench sweep --plan token-scaling');
    const json = JSON.parse((await runCli(['claims', results('claims.jsonl', claimsRows()), '--json'])).stdout);
    expect(json.judged).toBe(5);
  });

  it('exits 2 naming the missing cells and the command when no claim can be judged', async () => {
    const r = await runCli(['claims', results('one.jsonl', [claimRow('mobilevit_xs', 20)])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no claim can be judged from .*one\.jsonl: it lacks the cells they need/);
    expect(r.stderr).toContain('mobilevitv2_075|ort-node:cpu t1');
    expect(r.stderr).toContain('measure: pnpm mvbench sweep --models mobilevitv2_075 --runner ort-node:cpu --threads 1');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
