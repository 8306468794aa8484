/**
 * Latency history: one row per commit, model and runner setting, appended by every regression check. Latency is
 * also stored relative to a calibration workload measured in the same run, so machines of different speed can
 * share one history. Change points are the commits whose check found a confirmed change against their base.
 */
import { z } from 'zod';
import { Calibration } from './schema.ts';

export const HISTORY_SCHEMA = 'mvbench.history/1';

export const HistoryRow = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  plan: z.string(),
  commit: z.string(),
  subject: z.string(),
  commitDate: z.string(),
  base: z.string(),
  recordedAt: z.string(),
  spec: z.string(),
  runner: z.string(),
  threads: z.number().int(),
  medianMs: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  /** median of the calibration workload (a fixed MatMul) measured in the same process, ms */
  calibrationMs: z.number(),
  /** medianMs / calibrationMs: comparable across machines */
  relative: z.number(),
  /** median head / median base of the interleaved run, null when the base lacked the model */
  ratioVsBase: z.number().nullable(),
  verdict: z.enum(['regression', 'noise', 'faster', 'same', 'no-base']),
  machine: z.string(),
  /** the machine's calibration at the start of the check (runner-core calibrate()); absent in older rows */
  calibration: Calibration.optional(),
  /** the head's instructions per inference counted by Valgrind (1 intra-op thread), its estimated cycles, head/base
   *  instructions and the instruction verdict; absent when the check did not count (--metric time, no Valgrind) */
  instructions: z
    .object({ perInference: z.number(), estimatedCycles: z.number(), ratioVsBase: z.number(), verdict: z.enum(['regression', 'fewer', 'same']) })
    .optional(),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export interface ChangePoint {
  spec: string;
  runner: string;
  threads: number;
  commit: string;
  verdict: 'regression' | 'faster';
  ratio: number;
}

export const changePoints = (rows: readonly HistoryRow[]): ChangePoint[] =>
  rows
    .filter((r) => (r.verdict === 'regression' || r.verdict === 'faster') && r.ratioVsBase !== null)
    .map((r) => ({ spec: r.spec, runner: r.runner, threads: r.threads, commit: r.commit, verdict: r.verdict as 'regression' | 'faster', ratio: r.ratioVsBase! }));
