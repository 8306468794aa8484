/**
 * The calibration of a sweep or regression check: measured at the start (stored in every row's env) and at the
 * end (drift), each in a child process on onnxruntime-node. A failed calibration is a warning, never an abort.
 */
import type { ErrorCode } from '@mvbench/core';
import { CALIBRATION_THRESHOLD, calibrationRatio, calibrationsOf, mixedMachines, type ResultRow } from '@mvbench/results';
import type { Calibration } from '@mvbench/runner-core';
import { runInChild } from './isolate.ts';

export interface CalibrationJob {
  runner: string;
}
export type CalibrationOutcome = { ok: true; calibration: Calibration } | { ok: false; code: ErrorCode; message: string };

const CALIBRATION_RUNNER = 'ort-node:cpu';

/** the calibration (undefined, with a line on `log`, when it could not be measured) and the wall time it took */
export async function measureCalibration(log: (line: string) => void, timeoutS = 120): Promise<{ calibration?: Calibration; wallMs: number }> {
  const t0 = Date.now();
  const o = await runInChild<CalibrationJob, CalibrationOutcome>(new URL('./calibration-worker.ts', import.meta.url), { runner: CALIBRATION_RUNNER }, timeoutS);
  const wallMs = Date.now() - t0;
  if (o.ok) return { calibration: o.calibration, wallMs };
  log(`warning: no calibration (${o.code}: ${o.message}); rows carry none`);
  return { wallMs };
}

const f1 = (x: number) => x.toFixed(1);
/** one line: '41.2 GFLOP/s (1 thread), 70.3 (2 threads, x1.71), copy 12.5 GB/s, avx2 avx512f avx512_vnni' */
export const describeCalibration = (c: Calibration): string =>
  `MatMul ${f1(c.matmulGflops1)} GFLOP/s (1 thread), ${f1(c.matmulGflops2)} (2 threads, x${c.scaling2.toFixed(2)}), ` +
  `copy ${f1(c.memoryGBps)} GB/s, ${c.cpuFlags.join(' ') || 'no kernel flags read'}; p10-p90 spread up to ${(c.relSpread * 100).toFixed(0)}% of the median, ${(c.durationMs / 1000).toFixed(1)} s`;

/** a warning when the end-of-run calibration drifted from the start one by more than the threshold, else undefined */
export function driftWarning(start: Calibration | undefined, end: Calibration | undefined): string | undefined {
  if (!start || !end) return undefined;
  const r = calibrationRatio(start, end);
  if (r <= CALIBRATION_THRESHOLD) return undefined;
  return (
    `warning: the machine's speed changed during the run: MatMul ${f1(start.matmulGflops1)} GFLOP/s (1 thread) at the start, ` +
    `${f1(end.matmulGflops1)} at the end (x${r.toFixed(2)} > x${CALIBRATION_THRESHOLD}); latencies of this run mix two speeds`
  );
}

/** the report's notes on a run's calibration: the end-of-run figure, and the drift warning if any */
export function calibrationNotes(c: { start?: Calibration; end?: Calibration }): string[] {
  const drift = driftWarning(c.start, c.end);
  return [
    ...(c.end ? [`calibration at the end of the run: ${describeCalibration(c.end)}`] : []),
    ...(drift ? [drift.replace(/^warning: /, '')] : []),
  ];
}

/**
 * `merge`: shards measured on machines whose calibrations differ by more than the threshold (1-thread MatMul
 * GFLOP/s) get one warning naming the slowest and the fastest file with their figures; shards without a
 * calibration are named too (nobody can tell their speed).
 */
export function shardCalibrationWarnings(shards: readonly { file: string; rows: readonly ResultRow[] }[]): string[] {
  const cal = shards.map((s) => ({ file: s.file, c: calibrationsOf(s.rows)[0] }));
  const known = cal.filter((x): x is { file: string; c: Calibration } => !!x.c);
  const out: string[] = [];
  const none = cal.filter((x) => !x.c).map((x) => x.file);
  if (none.length && known.length) out.push(`warning: ${none.join(', ')} carry no calibration: their machine's speed cannot be compared with the other shards'`);
  const m = mixedMachines(known.map((x) => x.c));
  if (m) {
    const [slow, fast] = [known.find((x) => x.c === m.slow)!, known.find((x) => x.c === m.fast)!];
    const fig = (c: Calibration) => `MatMul ${f1(c.matmulGflops1)} GFLOP/s with 1 thread, ${f1(c.matmulGflops2)} with 2, copy ${f1(c.memoryGBps)} GB/s`;
    out.push(
      `warning: these shards ran on machines of different speed: ${slow.file} (${fig(slow.c)}) and ${fast.file} (${fig(fast.c)}) ` +
        `differ x${m.ratio.toFixed(2)} (more than x${CALIBRATION_THRESHOLD}); compare their cells by latency relative to the calibration ` +
        `(matmulEquivalentGflop in the CSV and report), not in ms`,
    );
  }
  return out;
}
