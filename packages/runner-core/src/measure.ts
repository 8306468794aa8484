/**
 * All timing of the project lives here (STYLE principle 8).
 *
 *   warm-up:  windows of `window` runs until a window's median is within `tolerance` of the previous window's
 *             (and at least minRuns ran), capped by maxRuns and maxMs
 *   timed:    runs until the 95% CI of the median is within targetRelCi of the median (after minRuns),
 *             or maxRuns, or budgetMs of wall time for the timed phase
 *
 * Samples go into preallocated typed arrays (a sorted copy is kept by insertion) and the CI ranks are computed
 * before the timed phase, so nothing allocates between timed runs. No sample is dropped: `stats` is over all
 * samples and is the primary result; `tukey` reports the same samples with Tukey-fence outliers removed.
 *
 * The CI assumes independent runs. On a shared machine interference comes in regimes lasting seconds, so a
 * short measurement can converge inside one regime: `splitHalfDrift` and `otherCpuShare` say when to distrust it.
 */
import os from 'node:os';
import { median } from 'simple-statistics';
import { medianCiRanks, summarize, tukeyFilter, type LatencyStats } from './stats.ts';

/** Monotonic time in nanoseconds. */
export type Clock = () => bigint;
const hrtime: Clock = () => process.hrtime.bigint();

export interface WarmupOptions {
  window?: number; // runs per window, default 5
  tolerance?: number; // relative change of window medians that counts as settled, default 0.02
  minRuns?: number; // default 10
  maxRuns?: number; // default 200
  maxMs?: number; // default 5000
}

export interface MeasureOptions {
  warmup?: WarmupOptions;
  targetRelCi?: number; // default 0.01
  minRuns?: number; // default 20 (at least 6: below that no 95% CI of the median exists)
  maxRuns?: number; // default 2000
  budgetMs?: number; // wall time of the timed phase, default 10000
  checkEvery?: number; // runs between convergence checks, default 5
  gcBetween?: boolean; // call global.gc() before every run, outside the timed span; needs node --expose-gc
  clock?: Clock;
}

export type StopReason = 'converged' | 'budget' | 'max-runs';

export interface Measurement {
  stats: LatencyStats; // over every timed sample: the primary result
  tukey: { stats: LatencyStats; removed: number; fenceLow: number; fenceHigh: number }; // outliers removed
  samplesMs: number[]; // in run order
  warmupRuns: number;
  warmupMs: number;
  warmupSettled: boolean; // false: warm-up stopped at its run or time cap
  timedMs: number; // wall time of the timed phase, overhead included
  splitHalfDrift: number; // (median of the second half of the samples - median of the first half) / median
  converged: boolean;
  stopReason: StopReason;
  gcBetween: boolean;
  otherCpuShare: number; // CPU time of other processes during the timed phase, as a share of all cores (0..1)
}

/**
 * `run` performs one inference. If it returns a number, that is its own duration in ms (a runner that times inside
 * a browser page, where Node's clock would include the round trip); otherwise `measure` times the call.
 */
export async function measure(run: () => Promise<void | number> | void | number, opts: MeasureOptions = {}): Promise<Measurement> {
  const { targetRelCi = 0.01, minRuns = 20, maxRuns = 2000, budgetMs = 10_000, checkEvery = 5 } = opts;
  const clock = opts.clock ?? hrtime;
  if (!(Number.isInteger(minRuns) && minRuns >= 6 && maxRuns >= minRuns)) {
    throw new Error(`measure: need 6 <= minRuns <= maxRuns, got minRuns ${minRuns}, maxRuns ${maxRuns}`);
  }
  const gc = opts.gcBetween ? globalThis.gc : undefined;
  if (opts.gcBetween && !gc) throw new Error('measure: gcBetween needs global.gc (run node with --expose-gc)');
  const once = async (): Promise<number> => {
    gc?.();
    const t0 = clock();
    let r = run();
    if (r instanceof Promise) r = await r; // a synchronous run is timed without a microtask hop
    return typeof r === 'number' ? r : Number(clock() - t0) / 1e6;
  };

  const warm = await warmup(once, clock, opts.warmup);

  const ranks = new Map<number, [number, number]>();
  for (let n = minRuns; n <= maxRuns; n += checkEvery) {
    const { lo, hi } = medianCiRanks(n);
    ranks.set(n, [lo, hi]);
  }
  const samples = new Float64Array(maxRuns);
  const sorted = new Float64Array(maxRuns);
  let n = 0;
  let stopReason: StopReason = 'max-runs';
  const load = loadProbe();
  const start = clock();
  while (n < maxRuns) {
    const ms = await once();
    samples[n] = ms;
    insertSorted(sorted, n, ms);
    n++;
    const r = ranks.get(n);
    if (r && (sorted[r[1]] - sorted[r[0]]) / 2 <= targetRelCi * medianOf(sorted, n)) {
      stopReason = 'converged';
      break;
    }
    if (Number(clock() - start) / 1e6 >= budgetMs && n >= minRuns) {
      stopReason = 'budget';
      break;
    }
  }
  const timedMs = Number(clock() - start) / 1e6;
  const otherCpuShare = load();

  const samplesMs = Array.from(samples.subarray(0, n));
  const t = tukeyFilter(samplesMs);
  const stats = summarize(samplesMs);
  const half = n >> 1;
  return {
    stats,
    tukey: { stats: summarize(t.kept), removed: t.removed, fenceLow: t.fenceLow, fenceHigh: t.fenceHigh },
    samplesMs,
    ...warm,
    timedMs,
    splitHalfDrift: (median(samplesMs.slice(half)) - median(samplesMs.slice(0, half))) / stats.median,
    converged: stopReason === 'converged',
    stopReason,
    gcBetween: !!gc,
    otherCpuShare,
  };
}

async function warmup(once: () => Promise<number>, clock: Clock, o: WarmupOptions = {}) {
  const { window = 5, tolerance = 0.02, minRuns = 10, maxRuns = 200, maxMs = 5000 } = o;
  const buf = new Float64Array(window);
  const start = clock();
  const elapsedMs = () => Number(clock() - start) / 1e6;
  let runs = 0;
  let prev = NaN;
  let settled = false;
  while (runs < maxRuns && elapsedMs() < maxMs) {
    for (let i = 0; i < window; i++) buf[i] = await once();
    runs += window;
    const m = medianOf(buf.sort(), window);
    if (runs >= minRuns && Math.abs(m - prev) <= tolerance * prev) {
      settled = true;
      break;
    }
    prev = m;
  }
  return { warmupRuns: runs, warmupMs: elapsedMs(), warmupSettled: settled };
}

/**
 * Starts watching the machine; the returned function gives the share of all cores that other processes used
 * since (kernel tick resolution, ~10 ms of CPU time). A busy neighbour on a 2-core box shows up as ~0.5.
 */
function loadProbe(): () => number {
  const busy = () => os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  const own = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const [b0, o0, t0] = [busy(), own(), hrtime()];
  return () => {
    const wallMs = Number(hrtime() - t0) / 1e6;
    const other = busy() - b0 - (own() - o0);
    return wallMs > 0 ? Math.min(1, Math.max(0, other / (wallMs * os.cpus().length))) : 0;
  };
}

/** Inserts x into the ascending prefix a[0..n) (a has room for n + 1). */
function insertSorted(a: Float64Array, n: number, x: number): void {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  a.copyWithin(lo + 1, lo, n);
  a[lo] = x;
}

const medianOf = (sorted: Float64Array, n: number) =>
  n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;

/** Milliseconds one call takes, e.g. session creation or the first inference. */
export async function timeOnce(fn: () => unknown, clock: Clock = hrtime): Promise<number> {
  const t0 = clock();
  await fn();
  return Number(clock() - t0) / 1e6;
}

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
