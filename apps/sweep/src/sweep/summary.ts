/** The console summary after a sweep: every cell, then the Pareto front per runner and thread count. */
import { paretoFront, type Accuracy, type ResultRow } from '@mvbench/results';
import { table } from '../cli/output.ts';
import { describeRow } from './progress.ts';

/** '69.0 % (published)', '0.412 (naswot)', or '-' */
const accuracyText = (a: Accuracy) =>
  a.value === null ? '-' : a.kind === 'zero-cost' ? `${a.value.toPrecision(4)} (${a.metric})` : `${a.value.toFixed(1)} % (${a.kind})`;

export function printSummary(rows: readonly ResultRow[]): void {
  console.log(
    table(
      rows.map((r) => [r.spec, r.runner, `${r.threads}`, describeRow(r), r.params ? (r.params / 1e6).toFixed(2) : '-', accuracyText(r.accuracy)]),
      ['model', 'runner', 'threads', 'latency (median, 95% CI)', 'params M', 'accuracy'],
    ),
  );
  // one front per runner setting and accuracy axis: kinds and datasets are never mixed
  const axis = (a: Accuracy) => (a.kind === 'zero-cost' ? `${a.metric} (zero-cost)` : `${a.kind} top-1${a.dataset ? `, ${a.dataset}` : ''}`);
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = `${axis(r.accuracy)}, ${r.runner} t${r.threads}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [group, rs] of groups) {
    const front = paretoFront(rs);
    if (!front.length) continue;
    console.log(`\nPareto front (latency vs ${group}):`);
    console.log(table(front.map((p) => [p.row.spec, `${p.latency.toFixed(2)} ms`, accuracyText(p.row.accuracy)])));
  }
  const failed = rows.filter((r) => r.error);
  if (failed.length) console.log(`\n${failed.length} cell(s) failed: ${failed.map((r) => `${r.cell} (${r.error!.code})`).join(', ')}`);
}
