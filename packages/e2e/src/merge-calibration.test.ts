/** `mvbench merge` of shards from machines 2x apart in calibration warns, naming both files and their figures. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRows, type Calibration, type ResultRow } from '@mvbench/results';
import { cli } from './cli.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mvb-merge-cal-'));
const committed: ResultRow[] = readFileSync(join(root, 'results/default.jsonl'), 'utf8').trim().split('\n').slice(0, 4).map((l) => JSON.parse(l));
const calibration = (g1: number): Calibration => ({
  matmulGflops1: g1, matmulGflops2: g1 * 1.8, scaling2: 1.8, memoryGBps: 12, cpuFlags: ['avx2', 'avx512f'], relSpread: 0.03,
  otherCpuShare: 0, workload: 'MatMul 512^3 fp32 on ort-node:cpu', durationMs: 1500, measuredAt: `2026-12-02T00:00:0${g1 % 10}.000Z`,
});
/** shard i of 2: every other committed row, its env carrying `cal` */
function shard(i: number, name: string, cal: Calibration | undefined): string {
  const rows = committed.filter((_, k) => k % 2 === i - 1).map((r) => ({ ...r, sweep: `default-x-shard${i}of2`, env: { ...r.env!, calibration: cal } }));
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

describe('merge compares the shards\' calibrations', () => {
  it('2x apart: one warning naming both files and their GFLOP/s; the merge still happens', async () => {
    const [slow, fast] = [shard(1, 'slow.jsonl', calibration(51)), shard(2, 'fast.jsonl', calibration(102))];
    const out = join(dir, 'merged.jsonl');
    const r = await cli(['merge', slow, fast, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: these shards ran on machines of different speed: .*slow\.jsonl \(MatMul 51\.0 GFLOP\/s with 1 thread.*\) and .*fast\.jsonl \(MatMul 102\.0 GFLOP\/s with 1 thread.*\) differ x2\.00/);
    const merged = readRows(out).rows;
    expect(merged).toHaveLength(4);
    expect(new Set(merged.map((m) => m.env!.calibration!.matmulGflops1))).toEqual(new Set([51, 102])); // each row keeps its own
  });

  it('within the threshold: no warning', async () => {
    const r = await cli(['merge', shard(1, 'a.jsonl', calibration(51)), shard(2, 'b.jsonl', calibration(55)), '-o', join(dir, 'm2.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/different speed/);
  });
});
