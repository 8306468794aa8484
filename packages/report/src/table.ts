/** Figure f: every row, failed cells included, as a table sortable by clicking a header (plain JS). */
import type { ResultRow } from '@mvbench/results';
import { settingOf } from './data.ts';
import { msg } from './messages.ts';

export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const accuracyText = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '' : x.toFixed(digits));
/** n < 6: the interval is [min, max] and covers the median with less than the 95% the header claims */
const lowCoverage = (l: NonNullable<ResultRow['latency']>) =>
  l.ciCoverage !== undefined && l.ciCoverage < l.ciLevel ? ` (${msg.coverage(l.ciCoverage)})` : '';

interface Column {
  title: string;
  numeric?: boolean;
  /** shown text, and (for numeric columns) the sort key when it differs from the text */
  cell: (r: ResultRow) => [text: string, key?: number | null];
}

const COLUMNS: Column[] = [
  { title: 'model spec', cell: (r) => [r.spec] },
  { title: 'family', cell: (r) => [r.family] },
  { title: 'runner', cell: (r) => [r.runner] },
  { title: 'threads', numeric: true, cell: (r) => [String(r.threads), r.threads] },
  { title: 'used', numeric: true, cell: (r) => [r.threadsUsed === null ? '' : String(r.threadsUsed), r.threadsUsed] },
  { title: 'graph opt', cell: (r) => [r.graphOptimization] },
  { title: 'median ms', numeric: true, cell: (r) => [num(r.latency?.median, 3), r.latency?.median] },
  { title: 'CI ms', numeric: true, cell: (r) => [r.latency ? `${num(r.latency.ciLow, 3)}–${num(r.latency.ciHigh, 3)}${lowCoverage(r.latency)}` : '', r.latency?.ciLow] },
  { title: 'p10–p90 ms', numeric: true, cell: (r) => [r.latency ? `${num(r.latency.p10)}–${num(r.latency.p90)}` : '', r.latency?.p10] },
  { title: 'runs', numeric: true, cell: (r) => [r.latency ? String(r.latency.n) : '', r.latency?.n] },
  // Valgrind's count per inference (plan measure.instructions), 1 intra-op thread whatever the cell's threads
  { title: 'M instr', numeric: true, cell: (r) => [r.instructions ? num(r.instructions.instructions / 1e6, 1) : r.instructionsError ? 'n/a' : '', r.instructions?.instructions] },
  { title: 'params M', numeric: true, cell: (r) => [num(r.params === null ? null : r.params / 1e6), r.params] },
  { title: 'GMACs', numeric: true, cell: (r) => [num(r.macs === null ? null : r.macs / 1e9, 3), r.macs] },
  { title: 'accuracy', numeric: true, cell: (r) => [r.accuracy.value === null ? '' : `${accuracyText(r.accuracy.value)} (${r.accuracy.kind})`, r.accuracy.value] },
  { title: 'status', cell: (r) => [r.error ? `${r.error.code}: ${r.error.message}` : r.load?.contended ? msg.contended(r.load.otherCores) : 'ok'] },
];

export function tableHtml(rows: readonly ResultRow[]): string {
  const head = COLUMNS.map((c) => `<th${c.numeric ? ' data-type="number" class="num"' : ''} scope="col"><button type="button">${esc(c.title)}</button></th>`).join('');
  const body = rows
    .map((r) => {
      const tds = COLUMNS.map((c) => {
        const [text, key] = c.cell(r);
        const v = c.numeric ? (key === null || key === undefined ? '' : String(key)) : text;
        return `<td${c.numeric ? ' class="num"' : ''} data-v="${esc(v)}">${esc(text)}</td>`;
      });
      return `<tr${r.error ? ' class="failed"' : r.load?.contended ? ' class="contended"' : ''} title="${esc(settingOf(r, true))}">${tds.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="sortable" id="rows"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** runs in the page: sort on header click, empty cells last in either direction */
export const SORT_SCRIPT = `
for (const table of document.querySelectorAll('table.sortable')) {
  const ths = [...table.tHead.rows[0].cells];
  ths.forEach((th, col) => th.addEventListener('click', () => {
    const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    ths.forEach((h) => h.removeAttribute('aria-sort'));
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const numeric = th.dataset.type === 'number';
    const key = (tr) => tr.cells[col].dataset.v;
    const rows = [...table.tBodies[0].rows].sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === '' || y === '') return (x === '') - (y === '');
      return dir * (numeric ? x - y : x.localeCompare(y, undefined, { numeric: true }));
    });
    table.tBodies[0].append(...rows);
  }));
}`;
