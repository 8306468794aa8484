/** What the coordinator shows: cells done / running / queued, per worker, and an ETA from this run's throughput. */
import type { Queue } from 'bullmq';
import type { ResultRow } from '@mvbench/results';
import type { AccuracyJobData, SweepCellJob } from './jobs.ts';

export interface QueueSnapshot {
  total: number;
  done: number;
  running: number;
  /** cells waiting for a worker (and specs waiting for their accuracy job) */
  queued: number;
  /** per worker: rows it delivered in this run, what it runs now */
  workers: { name: string; done: number; running: string[] }[];
  /** ms left at this run's rate of rows (null before the first row) */
  etaMs: number | null;
}

interface RunState {
  total: number;
  rows: ResultRow[];
  sweep: string;
  started: number;
  newRows: number;
}

export async function snapshotOf(cells: Queue<SweepCellJob>, accuracy: Queue<AccuracyJobData>, s: RunState): Promise<QueueSnapshot> {
  const [c, a, activeCells, activeAccuracy] = await Promise.all([
    cells.getJobCounts('waiting', 'prioritized', 'delayed'),
    accuracy.getJobCounts('waiting', 'prioritized', 'delayed'),
    cells.getActive(),
    accuracy.getActive(),
  ]);
  const workers = new Map<string, { name: string; done: number; running: string[] }>();
  const of = (name: string) => workers.get(name) ?? workers.set(name, { name, done: 0, running: [] }).get(name)!;
  for (const r of s.rows) if (r.sweep === s.sweep && r.worker) of(r.worker.name).done++;
  for (const j of activeCells) of(j.processedBy ?? '?').running.push(`${j.data.cell.spec} ${j.data.cell.runner} t${j.data.cell.threads}`);
  for (const j of activeAccuracy) of(j.processedBy ?? '?').running.push(`accuracy of ${j.data.spec}`);
  const done = s.rows.length;
  const rate = s.newRows / (Date.now() - s.started);
  const sum = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
  return {
    total: s.total,
    done,
    running: activeCells.length,
    queued: sum(c) + sum(a),
    workers: [...workers.values()].sort((x, y) => x.name.localeCompare(y.name)),
    etaMs: s.newRows ? (s.total - done) / rate : null,
  };
}

const fmtEta = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s` : `${Math.round(ms / 1000)}s`);

/** one line: '5/12 done, 2 running, 5 queued, ETA 1m10s | w1: 3 done, running <cell> | w2: ...' */
export function describeSnapshot(s: QueueSnapshot): string {
  const head = `${s.done}/${s.total} done, ${s.running} running, ${s.queued} queued, ETA ${s.etaMs === null ? '?' : fmtEta(s.etaMs)}`;
  const workers = s.workers.map((w) => `${w.name}: ${w.done} done${w.running.length ? `, running ${w.running.join(' + ')}` : ''}`);
  return [head, ...workers].join(' | ');
}
