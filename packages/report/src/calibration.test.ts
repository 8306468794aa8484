import { describe, expect, it } from 'vitest';
import { buildReport, reportFigures } from './html.ts';
import { ENV, syntheticRows } from './synthetic-rows.ts';
import { edit, META } from './test-util.ts';

const cal = ENV.calibration!;
const figure = (rows: ReturnType<typeof syntheticRows>) => reportFigures(rows, META).find((f) => f.id === 'macs-calibrated')!;

describe('calibration in the report', () => {
  it('the header shows each run\'s calibration; one machine: no mixed-machines sentence', () => {
    const html = buildReport(syntheticRows(), META);
    expect(html).toContain('calibration: MatMul 96.4 GFLOP/s with 1 thread, 181 with 2 (x1.88), copy 11.3 GB/s, avx2 fma avx512f avx512bw avx512_vnni');
    expect(html).not.toContain('mix machines');
  });

  it('rows from two runs 2x apart: a sentence naming both speeds, and two machines', () => {
    const slow = { ...cal, matmulGflops1: cal.matmulGflops1 / 2, measuredAt: '2025-11-22T00:00:00.000Z' };
    const rows = edit(syntheticRows(), (r) => (r.threads === 2 ? { env: { ...r.env!, calibration: slow } } : {}));
    const html = buildReport(rows, META);
    expect(html).toContain('These results mix machines of different speed: the calibration MatMul ran at 48.2 GFLOP/s (1 thread) on the slowest and 96.4 on the fastest (x2.00');
    expect(html.match(/calibration: MatMul/g)).toHaveLength(2);
  });

  it('old rows without a calibration: no sentence, the relative figure is a note; mixed with new rows: a sentence', () => {
    const old = edit(syntheticRows(), (r) => ({ env: { ...r.env!, calibration: undefined } }));
    expect(figure(old)).toMatchObject({ note: expect.stringMatching(/carries a calibration/) });
    expect(buildReport(old, META)).not.toMatch(/carry no calibration|mix machines/);
    const some = edit(syntheticRows(), (r) => (r.threads === 2 ? { env: { ...r.env!, calibration: undefined } } : {}));
    expect(buildReport(some, META)).toMatch(/\d+ cells carry no calibration/);
  });

  it('relative latency = latency x the calibration GFLOP/s at the cell\'s thread count', () => {
    const f = figure(syntheticRows());
    if (!('spec' in f)) throw new Error(f.note);
    const values = (f.spec.data as { values: { median: number; threads: number; eq: number }[] }).values;
    for (const v of values) expect(v.eq).toBeCloseTo((v.median * (v.threads === 1 ? cal.matmulGflops1 : cal.matmulGflops2)) / 1000, 3);
  });
});
