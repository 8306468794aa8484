import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationsOf, matmulEquivalentGflop, mixedMachines, readRows, ResultRow, toCsv, type Calibration, type Environment } from './index.ts';

// a row as the committed results/default.jsonl has it: env without `calibration`
const committed = readFileSync(new URL('../../../results/default.jsonl', import.meta.url), 'utf8').split('\n')[0];
const row = (over: Partial<ResultRow>): ResultRow => ({ ...ResultRow.parse(JSON.parse(committed)), ...over });

const env: Environment = { cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 23.5, os: 'Linux', node: 'v20', commit: 'abc', dirty: false, timerResolutionNs: 40, runtime: {} };
const cal = (g1: number, at = `t${g1}`): Calibration => ({
  matmulGflops1: g1, matmulGflops2: g1 * 1.8, scaling2: 1.8, memoryGBps: 10, cpuFlags: ['avx2'], relSpread: 0.02, otherCpuShare: 0,
  workload: 'MatMul 512^3', durationMs: 1500, measuredAt: at,
});

describe('calibration in rows', () => {
  it('rows written before calibrations existed still read, and read as having none', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-cal-')), 'old.jsonl');
    writeFileSync(file, `${committed}\n${JSON.stringify(row({ env }))}\n`);
    const { rows, skipped } = readRows(file);
    expect(skipped).toEqual([]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.env!.calibration === undefined)).toBe(true);
    expect(matmulEquivalentGflop(rows[0])).toBeNull();
    expect(toCsv(rows).split('\n')[1]).toContain(',,'); // empty calibration columns
  });

  it('latency x GFLOP/s at the cell\'s thread count', () => {
    const r = row({ env: { ...env, calibration: cal(50) }, threads: 2 });
    expect(matmulEquivalentGflop(r)).toBeCloseTo((r.latency!.median / 1000) * 90);
  });

  it('mixed machines only beyond the threshold', () => {
    const rows = [row({ env: { ...env, calibration: cal(50) } }), row({ env: { ...env, calibration: cal(55) } })];
    expect(calibrationsOf(rows)).toHaveLength(2);
    expect(mixedMachines(calibrationsOf(rows))).toBeNull();
    const m = mixedMachines([cal(50), cal(55), cal(125)]);
    expect(m).toMatchObject({ fast: { matmulGflops1: 125 }, slow: { matmulGflops1: 50 }, ratio: 2.5 });
  });
});
