/**
 * Markdown for pull requests, wikis and GitHub's step summary (like hyperfine's --export-markdown): a pipe table
 * whose number columns align right, and a sweep's rows as such a table.
 */
import type { ResultRow } from './schema.ts';

const escape = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** a GitHub-flavoured table; columns whose cells are all numbers (or empty) align right */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === '' || /^[-+]?[\d.,]+( ms| %)?$/.test(String(r[i]))));
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}

const fixed = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '' : x.toFixed(digits));

/** a sweep's rows: latency with its interval and runs, params, MACs, accuracy, and what failed or was contended */
export function sweepMarkdown(rows: readonly ResultRow[], title: string): string {
  const status = (r: ResultRow) => (r.error ? `${r.error.code}` : r.load?.contended ? `contended (${r.load.otherCores.toFixed(1)} cores busy elsewhere)` : 'ok');
  const accuracy = (r: ResultRow) => (r.accuracy.value === null ? '' : `${r.accuracy.kind === 'zero-cost' ? r.accuracy.value.toPrecision(4) : r.accuracy.value.toFixed(1)} (${r.accuracy.kind})`);
  const ci = (l: ResultRow['latency']) =>
    l ? `${l.ciLow.toFixed(3)} – ${l.ciHigh.toFixed(3)}${l.ciCoverage !== undefined && l.ciCoverage < l.ciLevel ? ` (${(l.ciCoverage * 100).toFixed(1)}%)` : ''}` : '';
  const table = markdownTable(
    ['model', 'runner', 'threads', 'median ms', '95% CI ms', 'runs', 'params M', 'GMACs', 'accuracy', 'status'],
    rows.map((r) => [
      `\`${r.spec}\``, r.runner, r.threads, fixed(r.latency?.median, 3), ci(r.latency), r.latency?.n ?? '',
      fixed(r.params === null ? null : r.params / 1e6, 2), fixed(r.macs === null ? null : r.macs / 1e9, 3), accuracy(r), status(r),
    ]),
  );
  const failed = rows.filter((r) => r.error).length;
  const contended = rows.filter((r) => r.load?.contended).length;
  const sweeps = [...new Set(rows.map((r) => r.sweep))].join(', ');
  const notes = [`${rows.length} cells (sweep ${sweeps})`, failed ? `${failed} failed` : '', contended ? `${contended} measured while other processes competed for the CPU` : '']
    .filter(Boolean)
    .join('; ');
  return `## ${title}\n\n${notes}.\n\n${table}\n`;
}
