/**
 * The latency history across commits (rows appended by `mvbench regress`): each model's latency relative to the
 * calibration workload, commit by commit, with the commits where a check confirmed a change marked.
 */
import type { HistoryRow } from '@mvbench/results';
import { CONFIG, SCHEMA, type Figure } from './figures/common.ts';
import { page } from './html.ts';
import { esc } from './table.ts';

export function historyFigure(rows: readonly HistoryRow[]): Figure {
  const id = 'history', title = 'Latency across commits';
  if (!rows.length) return { id, title, note: 'No history rows yet: `pnpm bench:regress` appends one per commit and model.' };
  const commits = [...new Map([...rows].sort((a, b) => a.commitDate.localeCompare(b.commitDate)).map((r) => [r.commit, r])).values()];
  const order = new Map(commits.map((r, i) => [r.commit, i]));
  const data = rows.map((r) => ({
    ...r,
    order: order.get(r.commit),
    label: `${r.commit.slice(0, 8)} ${r.subject.slice(0, 40)}`,
    setting: `${r.runner} · ${r.threads} thread${r.threads > 1 ? 's' : ''}`,
    change: r.verdict === 'regression' || r.verdict === 'faster' ? r.verdict : null,
  }));
  const x = { field: 'order', type: 'ordinal', title: 'commit (oldest first)', axis: { labelExpr: 'datum.label' } } as const;
  const tooltip = ['spec', 'label', 'medianMs', 'relative', 'ratioVsBase', 'verdict', 'machine'].map((field) => ({ field }));
  return {
    id,
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: ['latency / the calibration MatMul measured in the same run (comparable across machines); ▲ confirmed regression, ▼ confirmed speed-up against the base'] },
      data: { values: data },
      facet: { row: { field: 'setting', title: null } },
      spec: {
        width: 640,
        height: 220,
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'relative', type: 'quantitative', title: 'latency / calibration', scale: { zero: false } }, color: { field: 'spec', title: 'model' }, tooltip } },
          {
            transform: [{ filter: 'datum.change !== null' }],
            mark: { type: 'point', filled: true, size: 160 },
            encoding: {
              x,
              y: { field: 'relative', type: 'quantitative' },
              shape: { field: 'change', scale: { domain: ['regression', 'faster'], range: ['triangle-up', 'triangle-down'] }, title: 'change point' },
              color: { value: '#c0392b' },
              tooltip,
            },
          },
        ],
      },
    } as never,
  };
}

/** instructions per inference across commits (checks run with --metric instructions|both); deterministic, so a
 *  step in this line is a change in the work the model does, not noise */
function instructionsFigure(rows: readonly HistoryRow[]): Figure | undefined {
  const counted = rows.filter((r) => r.instructions);
  if (!counted.length) return undefined;
  const commits = [...new Map([...rows].sort((a, b) => a.commitDate.localeCompare(b.commitDate)).map((r) => [r.commit, r])).values()];
  const order = new Map(commits.map((r, i) => [r.commit, i]));
  const data = counted.map((r) => ({
    spec: r.spec,
    order: order.get(r.commit),
    label: `${r.commit.slice(0, 8)} ${r.subject.slice(0, 40)}`,
    instructionsM: r.instructions!.perInference / 1e6,
    cyclesM: r.instructions!.estimatedCycles / 1e6,
    ratio: r.instructions!.ratioVsBase,
    verdict: r.instructions!.verdict,
  }));
  const x = { field: 'order', type: 'ordinal', title: 'commit (oldest first)', axis: { labelExpr: 'datum.label' } } as const;
  const title = 'Instructions per inference across commits';
  return {
    id: 'history-instructions',
    title,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      title: { text: title, subtitle: ['counted by Valgrind inside the runtime\'s inference call, 1 intra-op thread (millions); filled: instruction regression against the base'] },
      data: { values: data },
      width: 640,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'instructionsM', type: 'quantitative', title: 'M instructions / inference', scale: { zero: false } },
        color: { field: 'spec', title: 'model' },
        tooltip: ['spec', 'label', 'instructionsM', 'cyclesM', 'ratio', 'verdict'].map((field) => ({ field })),
      },
    } as never,
  };
}

export function buildHistoryReport(rows: HistoryRow[], meta: { title: string; generatedAt: string }): string {
  const header = `<header><h1>${esc(meta.title)}</h1><p class="meta">${rows.length} rows · generated ${esc(meta.generatedAt)}</p></header>`;
  const body = rows
    .map((r) => `<tr><td>${esc(r.commit.slice(0, 10))}</td><td>${esc(r.subject)}</td><td>${esc(r.spec)}</td><td>${esc(`${r.runner} t${r.threads}`)}</td><td>${r.medianMs.toFixed(3)}</td><td>${r.relative.toFixed(3)}</td><td>${r.ratioVsBase?.toFixed(3) ?? '-'}</td><td>${esc(r.verdict)}</td><td>${r.instructions ? (r.instructions.perInference / 1e6).toFixed(2) : '-'}</td><td>${r.instructions?.ratioVsBase.toFixed(5) ?? '-'}</td><td>${esc(r.instructions?.verdict ?? '-')}</td></tr>`)
    .join('');
  const table = `<section id="rows"><h2>All rows</h2><div class="scroll"><table><thead><tr><th>commit</th><th>subject</th><th>model</th><th>runner</th><th>median ms</th><th>relative</th><th>head/base</th><th>verdict</th><th>M instr</th><th>instr head/base</th><th>instr verdict</th></tr></thead><tbody>${body}</tbody></table></div></section>`;
  const instructions = instructionsFigure(rows);
  return page(meta.title, header, instructions ? [historyFigure(rows), instructions] : [historyFigure(rows)], ['rows', 'All rows'], table);
}
