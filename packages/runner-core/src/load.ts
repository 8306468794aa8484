/**
 * Competing CPU load during a measurement (Linux /proc; elsewhere nothing is recorded).
 *
 * other processes' CPU = busy time of the whole machine (/proc/stat) - CPU time of our own process tree (the sweep
 * process with its reaped children, /proc/<pid>/stat utime+stime+cutime+cstime, plus every live descendant: the
 * cell's process, a shared Chromium). Both count in the same clock ticks, and /proc/stat's total (idle included)
 * is cores x wall time, so no tick rate is needed: share = other ticks / all ticks, cores = share x cores.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { median } from 'simple-statistics';
import { windowMedians } from './stats.ts';

export interface CpuSnapshot {
  /** all ticks of all cores since boot, idle included */
  totalTicks: number;
  /** non-idle ticks: user, nice, system, irq, softirq, steal (a hypervisor's other guests are competing load too) */
  busyTicks: number;
  /** ticks of the process tree rooted at the snapshot's root pid */
  treeTicks: number;
  cores: number;
  loadavg1: number;
}

/** what happened between two snapshots; windows of several processes of one cell add up */
export interface LoadWindow {
  totalTicks: number;
  busyTicks: number;
  treeTicks: number;
  cores: number;
  loadavgBefore: number;
  loadavgAfter: number;
}

export interface Load {
  otherCores: number;
  otherCpuShare: number;
  loadavgBefore: number;
  loadavgAfter: number;
  drift: number | null;
  contended: boolean;
}

/** fields 14-17 (1-based) of /proc/<pid>/stat, after the parenthesised command name that may contain spaces */
function procStat(pid: string): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // the process ended between readdir and read
  }
}

/** CPU ticks of `root` and all its live descendants (their reaped children included through cutime/cstime) */
function treeTicks(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = procStat(pid);
    if (s) stats.set(Number(pid), s);
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  for (const todo = [root]; todo.length; ) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

/** the machine's CPU counters and our tree's share of them now; null without /proc */
export function cpuSnapshot(root: number = process.pid): CpuSnapshot | null {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const [user, nice, system, idle, iowait, irq, softirq, steal] = lines[0].trim().split(/\s+/).slice(1).map(Number);
    return {
      totalTicks: user + nice + system + idle + iowait + irq + softirq + steal,
      busyTicks: user + nice + system + irq + softirq + steal,
      treeTicks: treeTicks(root),
      cores: lines.filter((l) => /^cpu\d/.test(l)).length,
      loadavg1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    };
  } catch {
    return null;
  }
}

export function loadWindow(before: CpuSnapshot, after: CpuSnapshot): LoadWindow {
  return {
    totalTicks: after.totalTicks - before.totalTicks,
    busyTicks: after.busyTicks - before.busyTicks,
    treeTicks: after.treeTicks - before.treeTicks,
    cores: after.cores,
    loadavgBefore: before.loadavg1,
    loadavgAfter: after.loadavg1,
  };
}

/**
 * Thresholds of `contended`. A cell with t threads on c cores is disturbed when
 *  - other processes need more than the cores it leaves free (others + t > c): the scheduler time-slices its
 *    threads (the case: a second job on a 2-core machine, 2 threads no faster than 1), or
 *  - they keep a quarter of the machine busy even where cores are free: shared caches, memory bandwidth and the
 *    all-core turbo clock are shared too;
 * and in either case only above a quarter of one core on average: a daemon waking up or a terminal redrawing
 * stays below it, a second job does not.
 */
export const CONTENDED = { minOtherCores: 0.25, maxOtherShare: 0.25 };

/** the decision alone, on recorded numbers */
export function isContended(otherCores: number, cores: number, threads: number): boolean {
  if (otherCores < CONTENDED.minOtherCores) return false;
  return otherCores + threads > cores || otherCores / cores >= CONTENDED.maxOtherShare;
}

/** spread of the medians of consecutive fifths of the run, relative to its median: a regime change mid-cell */
export function drift(samplesMs: readonly number[]): number | null {
  if (samplesMs.length < 10) return null;
  const w = windowMedians(samplesMs, Math.floor(samplesMs.length / 5));
  return (Math.max(...w) - Math.min(...w)) / median([...samplesMs]);
}

/** the windows of one cell measured in several processes, one after the other, as one; null if any is unknown */
export function poolWindows(windows: readonly (LoadWindow | null)[]): LoadWindow | null {
  if (!windows.length || windows.some((w) => w === null)) return null;
  const ws = windows as LoadWindow[];
  const sum = (k: 'totalTicks' | 'busyTicks' | 'treeTicks') => ws.reduce((s, w) => s + w[k], 0);
  return { totalTicks: sum('totalTicks'), busyTicks: sum('busyTicks'), treeTicks: sum('treeTicks'), cores: ws[0].cores, loadavgBefore: ws[0].loadavgBefore, loadavgAfter: ws.at(-1)!.loadavgAfter };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** the competing load of a cell of `threads` threads over its timed runs `w` */
export function loadOf(w: LoadWindow, threads: number, samplesMs: readonly number[]): Load {
  // the two counters are read a moment apart: a small negative difference is rounding, not a negative load
  const otherCpuShare = w.totalTicks > 0 ? Math.max(0, w.busyTicks - w.treeTicks) / w.totalTicks : 0;
  const otherCores = otherCpuShare * w.cores;
  const d = drift(samplesMs);
  return {
    otherCores: round3(otherCores),
    otherCpuShare: round3(otherCpuShare),
    loadavgBefore: w.loadavgBefore,
    loadavgAfter: w.loadavgAfter,
    drift: d === null ? null : round3(d),
    contended: isContended(otherCores, w.cores, threads),
  };
}
