/**
 * A results file may hold several rows of one cell: `sweep --resume --retry-failed` (or `--retry-contended`)
 * appends a new row that supersedes the old one. Every reader (report, summary, export) takes the latest.
 */
import type { ResultRow } from './schema.ts';

/** the last row of each (sweep, cell), in the order the cells first appear */
export function latestPerCell<R extends Pick<ResultRow, 'sweep' | 'cell'>>(rows: readonly R[]): R[] {
  const latest = new Map<string, R>();
  // set() on a key that is there keeps its place: the first row's position, the last row's content
  for (const r of rows) latest.set(`${r.sweep}\u0000${r.cell}`, r);
  return [...latest.values()];
}
