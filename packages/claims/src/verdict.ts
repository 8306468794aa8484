/**
 * The verdict rules, one function per claim kind (the README quotes them). Every interval is a 95% one: a ratio's
 * percentile bootstrap of the two cells' samples (regress's compare), an exponent's t interval of the log-log fit.
 */
export type Verdict = 'holds' | 'holds weaker' | 'does not hold' | 'reversed' | 'not measured';

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** a measured speed-up within this share of the paper's figure still holds it */
const SPEED_TOLERANCE = 0.8;
/** attention in every stage is cheap when it adds at most this to the latency ... */
const CHEAP_OVERHEAD = 1.1;
/** ... and clearly is not when it adds more than this */
const COSTLY_OVERHEAD = 1.25;
/** an attention time growing at least this fast in the tokens is quadratic in the measured range */
const QUADRATIC_EXPONENT = 1.5;
/** ... and at most this fast, linear */
const LINEAR_EXPONENT = 1.25;

/**
 * speed-up s = median(slower) / median(faster), paper's factor f (1 when it only says "faster"):
 * holds: CI low > 1 and >= 0.8 f; holds weaker: CI low > 1 only; reversed: CI high < 1; does not hold: 1 in the CI.
 */
export function speedVerdict(s: Interval, factor: number | null): { verdict: Verdict; why: string } {
  const f = factor ?? 1;
  const need = Math.max(1, SPEED_TOLERANCE * f);
  if (s.high < 1) return { verdict: 'reversed', why: 'significantly slower (CI below 1)' };
  if (s.low <= 1) return { verdict: 'does not hold', why: 'no significant difference (CI contains 1)' };
  if (s.low >= need) return { verdict: 'holds', why: factor === null ? 'significantly faster (CI above 1)' : `CI low >= ${need.toFixed(2)} (${SPEED_TOLERANCE} x the paper's ${f}x)` };
  return { verdict: 'holds weaker', why: `faster, but CI low < ${need.toFixed(2)} (${SPEED_TOLERANCE} x the paper's ${f}x)` };
}

/** overhead o = median(with attention) / median(without): holds when CI high <= 1.10, does not hold when CI low > 1.25 */
export function overheadVerdict(o: Interval): { verdict: Verdict; why: string } {
  if (o.high <= CHEAP_OVERHEAD) return { verdict: 'holds', why: `attention adds at most ${pct(CHEAP_OVERHEAD)} (CI high)` };
  if (o.low > COSTLY_OVERHEAD) return { verdict: 'does not hold', why: `attention adds more than ${pct(COSTLY_OVERHEAD)} (CI low)` };
  const more = o.low > CHEAP_OVERHEAD ? 'adds more than' : 'may add more than';
  return { verdict: 'holds weaker', why: `attention ${more} ${pct(CHEAP_OVERHEAD)}, not clearly more than ${pct(COSTLY_OVERHEAD)}` };
}

const pct = (ratio: number) => `${Math.round((ratio - 1) * 100)}%`;

/**
 * exponents e of the attention blocks' time ~ k^e: holds when mhsa's CI low >= 1.5 and both linear kinds' CI high
 * <= 1.25; holds weaker when mhsa's CI lies above both others' but not so; reversed when it lies below either.
 */
export function complexityVerdict(e: { mhsa: Interval; separable: Interval; additive: Interval }): { verdict: Verdict; why: string } {
  const linear = [e.separable, e.additive];
  if (e.mhsa.low >= QUADRATIC_EXPONENT && linear.every((l) => l.high <= LINEAR_EXPONENT))
    return { verdict: 'holds', why: `mhsa's exponent >= ${QUADRATIC_EXPONENT}, the others' <= ${LINEAR_EXPONENT} (95% intervals)` };
  if (linear.some((l) => e.mhsa.high < l.low)) return { verdict: 'reversed', why: "mhsa's exponent is below a linear kind's" };
  if (linear.every((l) => e.mhsa.low > l.high))
    return { verdict: 'holds weaker', why: `mhsa grows faster than the others, but its exponent is not clearly >= ${QUADRATIC_EXPONENT} or theirs not <= ${LINEAR_EXPONENT}` };
  return { verdict: 'does not hold', why: "mhsa's exponent interval overlaps a linear kind's" };
}
