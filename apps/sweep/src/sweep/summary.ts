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
      ['model', 'runner', 'threads', 'latency (median, ± 95% CI unless marked)', 'params M', 'accuracy'],
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
  if (failed.length) {
    const counts = failed.reduce((m, r) => m.set(r.error!.code, (m.get(r.error!.code) ?? 0) + 1), new Map<string, number>());
    const byCode = [...counts].map(([code, n]) => `${code} x${n}`).join(', ');
    console.log(`\n${failed.length} cell(s) failed (${byCode}): ${failed.map((r) => `${r.cell} (${r.error!.code})`).join(', ')}`);
    console.log('measure them again with --resume --retry-failed');
  }
  const contended = rows.filter((r) => r.load?.contended);
  if (contended.length) {
    console.log(`\n${contended.length} cell(s) measured while other processes competed for the CPU: ${contended.map((r) => `${r.cell} (${r.load!.otherCores.toFixed(1)} cores)`).join(', ')}`);
    console.log('their latencies are not comparable with the others: measure them again on a quiet machine with --resume --retry-contended');
  }
  const lowCi = rows.filter((r) => r.latency?.ciCoverage !== undefined && r.latency.ciCoverage < r.latency.ciLevel);
  if (lowCi.length) console.log(`\n${lowCi.length} cell(s) with fewer than 6 runs: their interval is [min, max], which covers the median with the probability marked (not 95%)`);
}
