/**
 * Reading rows next to their calibration (env.calibration, measured by runner-core's calibrate() in the same run):
 * when two calibrations mean two machines, and latency in machine-independent units.
 */
import type { Calibration, ResultRow } from './schema.ts';

/**
 * Calibrations further apart than this are different machines (or one machine whose state changed): six back-to-back
 * 1-thread calibrations beside busy neighbours (other processes took two thirds of the CPU) stayed within 1.16x
 * (max/min), while instances of this project's machine kind differ up to 2.7x; 1.25x is above the first and well
 * below the second, and a 25% shift in every latency is larger than the effects the regression check (5% minimum
 * effect) and the report's comparisons are meant to resolve.
 */
export const CALIBRATION_THRESHOLD = 1.25;

/** the 1-thread MatMul GFLOP/s ratio of two calibrations, >= 1 (how many times faster the faster one is) */
export const calibrationRatio = (a: Pick<Calibration, 'matmulGflops1'>, b: Pick<Calibration, 'matmulGflops1'>): number =>
  Math.max(a.matmulGflops1, b.matmulGflops1) / Math.min(a.matmulGflops1, b.matmulGflops1);

/** GFLOP/s of the calibration MatMul at a thread count: the 1-thread figure, or the 2-thread one for 2 and more */
export const gflopsAt = (c: Pick<Calibration, 'matmulGflops1' | 'matmulGflops2'>, threads: number): number =>
  threads <= 1 ? c.matmulGflops1 : c.matmulGflops2;

/**
 * Latency x calibration GFLOP/s at the cell's thread count = 'MatMul-equivalent GFLOP': the work the calibration
 * MatMul would have done in the same time. Comparable across machines of different speed; null without a
 * calibration or a latency.
 */
export function matmulEquivalentGflop(r: Pick<ResultRow, 'latency' | 'env' | 'threads'>): number | null {
  const c = r.env?.calibration;
  if (!c || !r.latency) return null;
  return (r.latency.median / 1000) * gflopsAt(c, r.threads);
}

/** the distinct calibrations of a set of rows (by measuredAt), in first-seen order */
export function calibrationsOf(rows: readonly Pick<ResultRow, 'env'>[]): Calibration[] {
  const seen = new Map<string, Calibration>();
  for (const r of rows) {
    const c = r.env?.calibration;
    if (c && !seen.has(c.measuredAt)) seen.set(c.measuredAt, c);
  }
  return [...seen.values()];
}

/** the fastest and slowest of the calibrations when they differ by more than the threshold, else null */
export function mixedMachines(cals: readonly Calibration[]): { fast: Calibration; slow: Calibration; ratio: number } | null {
  if (cals.length < 2) return null;
  const sorted = [...cals].sort((a, b) => a.matmulGflops1 - b.matmulGflops1);
  const [slow, fast] = [sorted[0], sorted.at(-1)!];
  const ratio = calibrationRatio(slow, fast);
  return ratio > CALIBRATION_THRESHOLD ? { fast, slow, ratio } : null;
}
