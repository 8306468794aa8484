/** The console summary after a sweep: every cell, then the Pareto front per runner and thread count. */
import { paretoFront, type ResultRow } from '@mvbench/results';
import { table } from '../cli/output.ts';
import { describeRow } from './progress.ts';

export function printSummary(rows: readonly ResultRow[]): void {
  console.log(
    table(
      rows.map((r) => [r.spec, r.runner, `${r.threads}`, describeRow(r), r.params ? (r.params / 1e6).toFixed(2) : '-', r.accuracy.value ?? '-']),
      ['model', 'runner', 'threads', 'latency (median, 95% CI)', 'params M', 'top-1'],
    ),
  );
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) groups.set(`${r.runner} t${r.threads}`, [...(groups.get(`${r.runner} t${r.threads}`) ?? []), r]);
  for (const [group, rs] of groups) {
    const front = paretoFront(rs);
    if (!front.length) continue;
    console.log(`\nPareto front (latency vs published top-1), ${group}:`);
    console.log(table(front.map((p) => [p.row.spec, `${p.latency.toFixed(2)} ms`, `${p.accuracy}%`])));
  }
  const failed = rows.filter((r) => r.error);
  if (failed.length) console.log(`\n${failed.length} cell(s) failed: ${failed.map((r) => `${r.cell} (${r.error!.code})`).join(', ')}`);
}
