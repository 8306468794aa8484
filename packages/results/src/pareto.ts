/** Pareto fronts over result rows: lower latency and higher accuracy are better. */
import type { ResultRow } from './schema.ts';

export interface ParetoPoint {
  row: ResultRow;
  latency: number;
  accuracy: number;
}

/** the non-dominated points among rows that have both a latency and an accuracy value */
export function paretoFront(rows: readonly ResultRow[]): ParetoPoint[] {
  const pts = rows
    .filter((r) => r.latency && r.accuracy.value !== null && !r.error)
    .map((r) => ({ row: r, latency: r.latency!.median, accuracy: r.accuracy.value! }))
    .sort((a, b) => a.latency - b.latency || b.accuracy - a.accuracy);
  const front: ParetoPoint[] = [];
  let best = -Infinity;
  for (const p of pts) if (p.accuracy > best) (front.push(p), (best = p.accuracy));
  return front;
}
