import { expect, test } from 'vitest';
import { measure, peakRssMb, timeOnce, type Clock } from './measure.ts';

/** A fake clock and a timed function that advances it by the given durations (ms), the last one repeating. */
function fake(durationsMs: (i: number) => number) {
  let ns = 0n;
  let calls = 0;
  const clock: Clock = () => ns;
  const run = () => {
    ns += BigInt(Math.round(durationsMs(calls++) * 1e6));
  };
  return { clock, run, calls: () => calls };
}

test('constant timings: warm-up settles after two windows and the timed phase converges at minRuns', async () => {
  const f = fake(() => 10);
  const m = await measure(f.run, { clock: f.clock });
  expect(m).toMatchObject({ warmupRuns: 10, warmupMs: 100, warmupSettled: true, converged: true, stopReason: 'converged' });
  expect(m.samplesMs).toEqual(Array(20).fill(10));
  expect(m.stats).toMatchObject({ n: 20, median: 10, relCiHalfWidth: 0 });
  expect(m.timedMs).toBe(200);
  expect(m.splitHalfDrift).toBe(0);
  expect(m.otherCpuShare).toBeGreaterThanOrEqual(0);
  expect(m.otherCpuShare).toBeLessThanOrEqual(1);
  expect(m.tukey.removed).toBe(0);
  expect(f.calls()).toBe(30);
});

test('warm-up runs until consecutive window medians agree within the tolerance', async () => {
  // 30 ms falling by 1 ms per run down to 10 ms: window medians 28, 23, 18, 13, 10, 10
  const f = fake((i) => Math.max(10, 30 - i));
  const m = await measure(f.run, { clock: f.clock });
  expect(m.warmupRuns).toBe(30);
  expect(m.warmupSettled).toBe(true);
  expect(m.stats.median).toBe(10);
});

test('warm-up stops at its run cap or its time cap and says it did not settle', async () => {
  const alternating = (i: number) => (Math.floor(i / 5) % 2 ? 20 : 10); // window medians 10, 20, 10, ...
  let f = fake(alternating);
  let m = await measure(f.run, { clock: f.clock, warmup: { maxRuns: 40 } });
  expect(m).toMatchObject({ warmupRuns: 40, warmupSettled: false });
  f = fake(alternating);
  m = await measure(f.run, { clock: f.clock, warmup: { maxMs: 100 } });
  expect(m).toMatchObject({ warmupRuns: 10, warmupMs: 150, warmupSettled: false }); // 50 + 100 >= 100 after 2 windows
});

test('noisy timings run past minRuns until the CI is narrow enough', async () => {
  // a deterministic spread: 9, 10, 11, 12, 13 ms repeating; median 11, CI within 1% only once it is one value
  const f = fake((i) => 9 + (i % 5));
  const m = await measure(f.run, { clock: f.clock, warmup: { minRuns: 5, window: 5 } });
  expect(m.stopReason).toBe('converged');
  expect(m.stats.n).toBeGreaterThan(20);
  expect(m.stats.median).toBe(11);
  expect(m.stats.ciLow).toBe(11);
  expect(m.stats.ciHigh).toBe(11);
  expect((m.stats.n - 20) % 5).toBe(0); // checked every 5 runs after minRuns
});

test('a wide distribution stops at maxRuns or at the budget, flagged not converged', async () => {
  const spread = (i: number) => 1 + ((i * 37) % 100); // 1..100 ms scattered uniformly
  let f = fake(spread);
  let m = await measure(f.run, { clock: f.clock, maxRuns: 60, budgetMs: 1e9 });
  expect(m).toMatchObject({ converged: false, stopReason: 'max-runs' });
  expect(m.samplesMs.length).toBe(60);

  f = fake(spread);
  m = await measure(f.run, { clock: f.clock, budgetMs: 3000 });
  expect(m).toMatchObject({ converged: false, stopReason: 'budget' });
  expect(m.timedMs).toBeGreaterThanOrEqual(3000);
  expect(m.timedMs - m.samplesMs[m.samplesMs.length - 1]).toBeLessThan(3000); // stopped by the first run past it
});

test('a level shift during the timed phase shows as split-half drift', async () => {
  const f = fake((i) => (i < 20 ? 10 : 11)); // 10 warm-up runs, 10 timed runs at 10 ms, 10 at 11 ms
  const m = await measure(f.run, { clock: f.clock, minRuns: 20, maxRuns: 20 });
  expect(m.stats.median).toBe(10.5);
  expect(m.splitHalfDrift).toBeCloseTo(1 / 10.5, 12);
});

test('the budget never cuts the timed phase below minRuns', async () => {
  const f = fake((i) => 100 + (i % 2) * 50);
  const m = await measure(f.run, { clock: f.clock, budgetMs: 1, minRuns: 8 });
  expect(m).toMatchObject({ stopReason: 'budget' });
  expect(m.samplesMs.length).toBe(8);
});

test('an outlier is kept in the primary stats and reported by the Tukey view', async () => {
  const f = fake((i) => (i === 25 ? 500 : 10 + (i % 2) * 0.01));
  const m = await measure(f.run, { clock: f.clock });
  expect(m.samplesMs).toContain(500);
  expect(m.stats.max).toBe(500);
  expect(m.tukey.removed).toBe(1);
  expect(m.tukey.stats.max).toBeCloseTo(10.01, 9);
  expect(m.tukey.stats.n).toBe(m.stats.n - 1);
});

test('async runs are awaited inside the timed span', async () => {
  let ns = 0n;
  const clock: Clock = () => ns;
  const run = async () => {
    await Promise.resolve();
    ns += 2_000_000n;
  };
  const m = await measure(run, { clock, minRuns: 6 });
  expect(m.stats.median).toBe(2);
});

test('gcBetween without --expose-gc fails instead of silently not collecting', async () => {
  const f = fake(() => 1);
  const had = globalThis.gc;
  globalThis.gc = undefined;
  try {
    await expect(measure(f.run, { clock: f.clock, gcBetween: true })).rejects.toThrow(/--expose-gc/);
  } finally {
    globalThis.gc = had;
  }
  let collected = 0;
  globalThis.gc = Object.assign(() => void collected++, {}) as typeof globalThis.gc;
  try {
    const m = await measure(f.run, { clock: f.clock, gcBetween: true });
    expect(m.gcBetween).toBe(true);
    expect(collected).toBe(m.warmupRuns + m.samplesMs.length);
  } finally {
    globalThis.gc = had;
  }
});

test('bad run counts are rejected', async () => {
  const f = fake(() => 1);
  await expect(measure(f.run, { clock: f.clock, minRuns: 5 })).rejects.toThrow(/minRuns/);
  await expect(measure(f.run, { clock: f.clock, minRuns: 30, maxRuns: 20 })).rejects.toThrow(/maxRuns/);
});

test('timeOnce times one call, sync or async, on the given clock', async () => {
  let ns = 0n;
  const clock: Clock = () => ns;
  expect(await timeOnce(() => void (ns += 1_500_000n), clock)).toBe(1.5);
  expect(await timeOnce(async () => void (ns += 250_000n), clock)).toBe(0.25);
  expect(await timeOnce(() => {})).toBeGreaterThanOrEqual(0); // the real clock
});

test('peakRssMb is the process peak in MiB', () => {
  expect(peakRssMb()).toBeCloseTo(process.resourceUsage().maxRSS / 1024, 0);
  expect(peakRssMb()).toBeGreaterThan(1);
});
