import { describe, expect, it } from 'vitest';
import { cpuSnapshot, drift, isContended, loadOf, loadWindow, poolWindows, type LoadWindow } from './load.ts';

/** a window of `seconds` on `cores` cores at 100 ticks/s: `busy` cores busy in all, `ours` of them our tree */
const window = (cores: number, busy: number, ours: number, seconds = 2): LoadWindow => ({
  totalTicks: cores * 100 * seconds,
  busyTicks: busy * 100 * seconds,
  treeTicks: ours * 100 * seconds,
  cores,
  loadavgBefore: 1,
  loadavgAfter: 2,
});

describe('competing load', () => {
  it('decides on recorded numbers: oversubscription, a quarter of the machine, and a noise floor', () => {
    // a 2-core machine: 2 threads leave nothing free; 1 thread leaves one core, a second job fills it and more
    expect(isContended(0.1, 2, 2)).toBe(false); // daemons
    expect(isContended(0.3, 2, 2)).toBe(true); // others + 2 threads > 2 cores
    expect(isContended(0.3, 2, 1)).toBe(false);
    expect(isContended(1, 2, 1)).toBe(true); // a busy loop beside a 1-thread cell: half the machine
    // a 16-core machine: 3 busy cores beside a 1-thread cell fit; 4 are a quarter of the machine
    expect(isContended(3, 16, 1)).toBe(false);
    expect(isContended(4, 16, 1)).toBe(true);
    expect(isContended(0.2, 1, 1)).toBe(false); // below the floor even where it oversubscribes
  });

  it('subtracts our own process tree and pools the windows of several processes', () => {
    // recorded on a quiet 2-core machine: a 2-thread cell kept 1.9 cores busy, all of it ours
    expect(loadOf(window(2, 1.95, 1.9), 2, [])).toMatchObject({ otherCores: 0.05, contended: false, loadavgBefore: 1, loadavgAfter: 2 });
    // the same cell beside a busy loop: the machine was full and we got only 1.1 cores of it
    expect(loadOf(window(2, 2, 1.1), 2, [])).toMatchObject({ otherCores: 0.9, otherCpuShare: 0.45, contended: true });
    // one quiet and one contended process: pooled over their ticks, half a core of others over the cell
    expect(loadOf(poolWindows([window(2, 1, 1), window(2, 2, 1)])!, 1, [])).toMatchObject({ otherCores: 0.5, contended: true });
    // counters a tick apart never make a negative load
    expect(loadOf(window(2, 1, 1.01), 1, []).otherCores).toBe(0);
    expect(poolWindows([window(2, 1, 1), null])).toBeNull();
  });

  it('drift: the spread of the medians of the run\'s fifths, relative to its median', () => {
    expect(drift([1, 1, 1])).toBeNull();
    expect(drift(Array(20).fill(10))).toBe(0);
    // a second job arrived halfway: the last fifths are 20% slower
    expect(drift([...Array(10).fill(10), ...Array(10).fill(12)])).toBeCloseTo(2 / 11, 6);
  });

  it('reads real counters: our own busy loop is our tree, not another process', () => {
    const a = cpuSnapshot();
    if (!a) return; // no /proc (macOS): nothing is recorded there
    const start = process.cpuUsage();
    // 0.3 s of our own CPU time (however long that takes on a busy machine)
    while ((({ user, system }) => user + system)(process.cpuUsage(start)) < 300_000);
    const w = loadWindow(a, cpuSnapshot()!);
    expect(w.cores).toBeGreaterThanOrEqual(1);
    expect(w.treeTicks).toBeGreaterThanOrEqual(20); // 30 ticks at 100 Hz, less a tick of rounding at each end
    expect(w.busyTicks).toBeGreaterThanOrEqual(w.treeTicks - 2);
  });
});
