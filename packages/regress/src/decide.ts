/**
 * The regression decision for one model on one runner setting, from interleaved base/head samples:
 *   slower  when a one-sided Mann-Whitney test says head > base (p < alpha) AND the median ratio head/base
 *           exceeds 1 + minEffect; a slower first run is only `suspected` until a second, independent
 *           interleaved run agrees (then `regression`), otherwise it is `noise`.
 *   faster  symmetric, for information; never fails a check.
 * The rank test alone would flag 1% differences on hundreds of samples; the minimum effect keeps verdicts to
 * differences that matter; the confirmation run keeps a shared machine's bursts from failing a build.
 */
import { bootstrapRatioCI, mannWhitneyU, type RatioCI } from '@mvbench/runner-core';

export interface DecisionOptions {
  /** smallest relative change of the median that counts, default 0.05 */
  minEffect?: number;
  /** significance level of the one-sided rank test, default 0.01 */
  alpha?: number;
  seed?: number;
}

export type Direction = 'slower' | 'faster' | 'same';

export interface Comparison {
  ratio: RatioCI;
  /** one-sided p-values: head slower than base, head faster than base */
  pSlower: number;
  pFaster: number;
  direction: Direction;
  nBase: number;
  nHead: number;
}

export function compare(base: readonly number[], head: readonly number[], opts: DecisionOptions = {}): Comparison {
  const { minEffect = 0.05, alpha = 0.01, seed = 1 } = opts;
  // a NaN here would make every comparison 'same' and silently pass a CI gate
  if (!(minEffect >= 0 && minEffect < 1)) throw new RangeError(`compare: minEffect must be in [0, 1), got ${minEffect}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`compare: alpha must be in (0, 1), got ${alpha}`);
  const mw = mannWhitneyU(head, base);
  const half = mw.p / 2;
  const pSlower = mw.z > 0 ? half : 1 - half;
  const pFaster = mw.z < 0 ? half : 1 - half;
  const ratio = bootstrapRatioCI(head, base, { seed });
  const direction: Direction =
    pSlower < alpha && ratio.ratio > 1 + minEffect ? 'slower' : pFaster < alpha && ratio.ratio < 1 - minEffect ? 'faster' : 'same';
  return { ratio, pSlower, pFaster, direction, nBase: base.length, nHead: head.length };
}

export type Verdict = 'regression' | 'noise' | 'faster' | 'same';

/** the final verdict from the first comparison and, when it was slower, the confirmation run */
export function verdict(first: Comparison, confirmation?: Comparison): Verdict {
  if (first.direction === 'faster') return 'faster';
  if (first.direction === 'same') return 'same';
  if (!confirmation) throw new Error('verdict: a slower first run needs a confirmation run');
  return confirmation.direction === 'slower' ? 'regression' : 'noise';
}
