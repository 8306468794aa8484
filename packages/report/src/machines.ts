/** Machine fingerprints: which CPU, OS, Node, commit and runtime versions the rows came from, and threads used. */
import type { ResultRow } from '@mvbench/results';
import { msg } from './messages.ts';

export interface Machine {
  /** one line: cpu · cores · memory · os · node · commit */
  summary: string;
  cpuModel: string | null;
  commit: string | null;
  runtime: Record<string, string>;
  /** e.g. 'ort-node:cpu: 2 threads → 2 used' */
  threads: string[];
  timerResolutionNs: number | null;
  /** the calibration measured in the run (MatMul GFLOP/s, copy GB/s, kernel flags), null for rows without one */
  calibration: string | null;
  cells: number;
}

export function machines(rows: readonly ResultRow[]): Machine[] {
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const e = r.env;
    // a calibration of its own makes a run its own machine: instances with one fingerprint differ up to 2.7x
    const key = e ? [e.cpuModel, e.cores, e.memoryGiB, e.os, e.node, e.commit, e.dirty, e.calibration?.measuredAt ?? ''].join('|') : '';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const e = g[0].env;
    const runtime: Record<string, string> = {};
    for (const r of g) for (const [k, v] of Object.entries(r.env?.runtime ?? {})) runtime[k] = runtime[k] && runtime[k] !== v ? `${runtime[k]}, ${v}` : v;
    const used = new Map<string, Set<string>>();
    for (const r of g) {
      const k = `${r.runner}: ${msg.threads(r.threads)}`;
      const set = used.get(k) ?? new Set<string>();
      // failed cells never got to report threads: they only count when nothing else did
      if (r.threadsUsed !== null) set.add(String(r.threadsUsed));
      used.set(k, set);
    }
    return {
      summary: e
        ? `${e.cpuModel} · ${e.cores} cores · ${e.memoryGiB} GiB · ${e.os} · Node ${e.node} · commit ${e.commit.slice(0, 10)}${e.dirty ? ' (dirty)' : ''}`
        : msg.unknownMachine,
      cpuModel: e?.cpuModel ?? null,
      commit: e ? e.commit.slice(0, 10) + (e.dirty ? '+dirty' : '') : null,
      runtime,
      threads: [...used].sort().map(([k, u]) => msg.threadsUsed(k, [...u].sort())),
      timerResolutionNs: e?.timerResolutionNs ?? null,
      calibration: e?.calibration ? msg.calibration(e.calibration) : null,
      cells: g.length,
    };
  });
}

/** short provenance for figure captions: the one machine, or how many */
export function machineCaption(ms: readonly Machine[]): string {
  const known = ms.filter((m) => m.cpuModel !== null);
  if (known.length === 1) return `${known[0].cpuModel} · commit ${known[0].commit}`;
  return known.length ? `${known.length} machines/commits` : msg.unknownMachine;
}
