/**
 * Two results files compared without measuring again (like `asv compare`): for every cell both hold, the median
 * ratio new/old with a 95% bootstrap CI, the one-sided rank test and the regression check's decision rule
 * (@mvbench/regress decide.ts: significant at alpha AND beyond the minimum effect). The two runs were not
 * interleaved, so a change of the machine between them is in every ratio: their calibrations are compared and a
 * difference beyond CALIBRATION_THRESHOLD is said.
 */
import { userError } from '@mvbench/core';
import { compare, type DecisionOptions } from '@mvbench/regress/decide';
import { CALIBRATION_THRESHOLD, calibrationRatio, calibrationsOf, latestPerCell, readRows, type ResultRow } from '@mvbench/results';

/** the words of `mvbench regress`; without a confirmation run a slower cell is a regression of this one comparison */
export type CompareVerdict = 'regression' | 'faster' | 'same';

export interface CellComparison {
  cell: string;
  spec: string;
  runner: string;
  threads: number;
  graphOptimization: string;
  oldMs: number;
  newMs: number;
  /** median new / median old, with its 95% bootstrap interval */
  ratio: number;
  ciLow: number;
  ciHigh: number;
  /** one-sided p-value of the rank test in the direction the medians moved */
  p: number;
  verdict: CompareVerdict;
  nOld: number;
  nNew: number;
  /** either row was measured while other processes competed for the CPU */
  contended: boolean;
}

export interface ResultsSide {
  file: string;
  sweep: string;
  plan: string;
  rows: ResultRow[];
}

export interface Comparison {
  old: Omit<ResultsSide, 'rows'>;
  new: Omit<ResultsSide, 'rows'>;
  minEffect: number;
  alpha: number;
  cells: CellComparison[];
  /** cells of one file only, and cells that cannot be compared (a failed row, no samples) */
  onlyOld: string[];
  onlyNew: string[];
  notCompared: { cell: string; why: string }[];
  /** set when the two runs' calibrations differ beyond the threshold: their ms are from machines of different speed */
  machineWarning: string | null;
}

/** a results file's last sweep, the latest row per cell; a file without a valid row is an error naming it */
export function readSide(file: string): ResultsSide {
  const { rows } = readRows(file);
  if (!rows.length) throw userError('CORRUPT_FILE', `no valid result rows in ${file}`);
  const sweep = rows.at(-1)!.sweep;
  return { file, sweep, plan: rows.at(-1)!.plan, rows: latestPerCell(rows.filter((r) => r.sweep === sweep)) };
}

function machineWarning(a: ResultsSide, b: ResultsSide): string | null {
  const [ca, cb] = [calibrationsOf(a.rows)[0], calibrationsOf(b.rows)[0]];
  if (!ca || !cb) return `${!ca ? a.file : b.file} has no calibration: the two runs may come from machines of different speed`;
  const ratio = calibrationRatio(ca, cb);
  if (ratio <= CALIBRATION_THRESHOLD) return null;
  return `the runs' calibrations differ ${ratio.toFixed(2)}x (${ca.matmulGflops1.toFixed(0)} vs ${cb.matmulGflops1.toFixed(0)} GFLOP/s with 1 thread, above ${CALIBRATION_THRESHOLD}x): machines of different speed, every ratio carries that difference`;
}

/** old vs new, cell by cell; files of different plans, or without a common cell, are an error naming both */
export function compareSides(a: ResultsSide, b: ResultsSide, opts: Required<Pick<DecisionOptions, 'minEffect' | 'alpha'>>): Comparison {
  const show = (s: ResultsSide) => `${s.file} (plan '${s.plan}')`;
  if (a.plan !== b.plan) throw userError('BAD_ARGUMENT', `cannot compare ${show(a)} with ${show(b)}: they are sweeps of different plans, their cells differ`);
  const byCell = new Map(b.rows.map((r) => [r.cell, r]));
  const cells: CellComparison[] = [];
  const notCompared: Comparison['notCompared'] = [];
  for (const o of a.rows) {
    const n = byCell.get(o.cell);
    if (!n) continue;
    const failed = [o, n].find((r) => r.error || !r.samplesMs?.length);
    if (failed) {
      notCompared.push({ cell: o.cell, why: failed.error ? `${failed === o ? 'old' : 'new'} row failed (${failed.error.code})` : `${failed === o ? 'old' : 'new'} row has no samples` });
      continue;
    }
    const c = compare(o.samplesMs!, n.samplesMs!, opts);
    cells.push({
      cell: o.cell, spec: o.spec, runner: o.runner, threads: o.threads, graphOptimization: o.graphOptimization,
      oldMs: o.latency!.median, newMs: n.latency!.median,
      ratio: c.ratio.ratio, ciLow: c.ratio.low, ciHigh: c.ratio.high,
      p: c.ratio.ratio >= 1 ? c.pSlower : c.pFaster,
      verdict: c.direction === 'slower' ? 'regression' : c.direction === 'faster' ? 'faster' : 'same',
      nOld: c.nBase, nNew: c.nHead,
      contended: !!(o.load?.contended || n.load?.contended),
    });
  }
  const inA = new Set(a.rows.map((r) => r.cell));
  const onlyOld = a.rows.filter((r) => !byCell.has(r.cell)).map((r) => r.cell);
  const onlyNew = b.rows.filter((r) => !inA.has(r.cell)).map((r) => r.cell);
  if (!cells.length && !notCompared.length) throw userError('BAD_ARGUMENT', `cannot compare ${show(a)} with ${show(b)}: no cell is in both`);
  const side = ({ rows: _rows, ...rest }: ResultsSide) => rest;
  return { old: side(a), new: side(b), ...opts, cells, onlyOld, onlyNew, notCompared, machineWarning: machineWarning(a, b) };
}
