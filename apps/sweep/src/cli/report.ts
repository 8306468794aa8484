import { join } from 'node:path';
import type { Command } from 'commander';
import { userError } from '@mvbench/core';
import { latestPerCell } from '@mvbench/results';
import { readRows, sweepMarkdown, toCsv, ensureWritable, type ReadRows, type ResultRow } from '@mvbench/results';
import { safeFileName, writeFileAtomic } from '@mvbench/results';
import { repoRoot } from '../paths.ts';
import { ensureMarkdownWritable, printJson, writeMarkdown } from './output.ts';
import { shardCalibrationWarnings } from '@mvbench/cell';

export interface OutputOptions {
  title: string;
  plan: string;
  sweep: string;
  reportDir?: string;
  figures?: string;
  /** the figures' file formats (default SVG and PNG) */
  figureFormats?: FigureFormat[];
  csv?: string;
  /** extra lines for the report's header (e.g. the end-of-run calibration) */
  notes?: string[];
}

/** the HTML report (and optionally SVG/PNG figures and CSV) of a set of rows; returns the paths written */
export async function writeOutputs(rows: ResultRow[], o: OutputOptions): Promise<Record<string, string | undefined>> {
  const written: Record<string, string | undefined> = {};
  if (o.csv) writeFileAtomic((written.csv = o.csv), toCsv(rows));
  if (!o.reportDir && !o.figures) return written;
  const { buildReport, renderFigureFiles } = await import('@mvbench/report');
  const meta = { title: o.title, plan: o.plan, generatedAt: new Date().toISOString(), notes: [`sweep ${o.sweep}`, ...(o.notes ?? [])] };
  // the sweep id comes from the rows: a hostile '../../x' must not leave the reports folder
  const name = safeFileName(o.sweep.replace(/-\d{4}-\d\d-\d\dT.*$/, ''), 'report');
  if (o.reportDir) writeFileAtomic((written.report = join(o.reportDir, `${name}.html`)), buildReport(rows, meta));
  if (o.figures) {
    await renderFigureFiles(rows, meta, o.figures, { formats: o.figureFormats });
    written.figures = o.figures;
  }
  return written;
}

// the report package (vega) loads only when a report is written: mvbench's start-up stays short
const FIGURE_FORMATS = ['svg', 'png'] as const;
type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** `--formats svg,png` */
function figureFormats(text: string): FigureFormat[] {
  const list = text.split(',').map((x) => x.trim());
  const bad = list.filter((f) => !(FIGURE_FORMATS as readonly string[]).includes(f));
  if (bad.length || !list.length) throw userError('BAD_ARGUMENT', `--formats '${text}': expected ${FIGURE_FORMATS.join(', ')} or both, comma-separated`);
  return list as FigureFormat[];
}

/** one line per file for its invalid lines, however many there are (a binary file has thousands) */
function warnSkipped(file: string, skipped: ReadRows['skipped']): void {
  if (!skipped.length) return;
  const lines = skipped.slice(0, 5).map((s) => s.line).join(', ') + (skipped.length > 5 ? ', ...' : '');
  console.error(`mvbench: ${file}: skipped ${skipped.length} invalid line(s) (line ${lines}; line ${skipped[0].line}: ${skipped[0].reason.slice(0, 200)})`);
}

/** the valid rows of a results file; a file without any is an error naming it */
function readValidRows(file: string): ResultRow[] {
  const { rows, skipped } = readRows(file);
  warnSkipped(file, skipped);
  if (!rows.length) throw userError('CORRUPT_FILE', `no valid result rows in ${file} (${skipped.length ? `${skipped.length} invalid line(s)` : 'the file is empty'})`);
  return rows;
}

/** rows of the chosen sweep(s): the last sweep in the file by default */
function pickRows(files: string[], sweep: string | undefined): ResultRow[] {
  const all = files.flatMap(readValidRows);
  // a retried cell (--retry-failed, --retry-contended) has several rows: the latest is the result
  if (sweep === 'all') return latestPerCell(all);
  const chosen = sweep ?? all.at(-1)!.sweep;
  const rows = latestPerCell(all.filter((r) => r.sweep === chosen));
  if (!rows.length) {
    const sweeps = [...new Set(all.map((r) => r.sweep))];
    throw userError('BAD_ARGUMENT', `--sweep: no rows of sweep '${chosen}' in ${files.join(', ')}; its sweeps are ${sweeps.slice(-5).join(', ')}${sweeps.length > 5 ? ' (last 5)' : ''}, or all`);
  }
  return rows;
}

interface Shard {
  file: string;
  sweep: string;
  rows: ResultRow[];
}

/** a shard file's rows: those of its last sweep (a file appended by several runs also holds older sweeps) */
function readShard(file: string): Shard {
  const all = readValidRows(file);
  const sweep = all.at(-1)!.sweep;
  const rows = all.filter((r) => r.sweep === sweep);
  if (rows.length < all.length) console.error(`mvbench: ${file}: merging its last sweep '${sweep}'; ${all.length - rows.length} row(s) of earlier sweeps left out`);
  return { file, sweep, rows };
}

const shardTag = (s: Shard) => /-shard(\d+)of(\d+)$/.exec(s.sweep);

/** shards merge only when they are parts of one sweep: one plan, one shard count, each shard once */
function checkShards(shards: Shard[]): void {
  const show = (s: Shard) => `${s.file} (sweep '${s.sweep}', plan '${s.rows[0].plan}')`;
  function refuse(a: Shard, b: Shard, why: string): never {
    throw userError('BAD_ARGUMENT', `cannot merge ${show(a)} with ${show(b)}: ${why}`);
  }
  const [first] = shards;
  const byIndex = new Map<string, Shard>();
  for (const s of shards) {
    if (s.rows[0].plan !== first.rows[0].plan) refuse(first, s, 'they are sweeps of different plans');
    const [a, b] = [shardTag(first), shardTag(s)];
    if (s.sweep !== first.sweep && (!a || !b)) refuse(first, s, 'they are different sweeps, not shards of one (merge takes the files of a sweep run with --shard i/n)');
    if (!a || !b) continue;
    if (a[2] !== b[2]) refuse(first, s, `one is split into ${a[2]} shards, the other into ${b[2]}`);
    const other = byIndex.get(b[1]);
    if (other && other.sweep !== s.sweep) refuse(other, s, `both are shard ${b[1]} of ${b[2]}, from different runs; keep one`);
    byIndex.set(b[1], s);
  }
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .argument('<results...>', 'results files (JSONL)')
    .option('--sweep <id|all>', 'which sweep of the file (default: the last one; all: every row)')
    .option('-o, --out <file.html>', 'report file (default results/reports/<plan>.html)')
    .option('--figures <dir>', 'also write every figure as SVG and PNG into this directory')
    .option('--formats <list>', 'with --figures: svg, png or svg,png (default)', figureFormats)
    .option('--no-html', 'write no HTML report (e.g. only --figures, --csv or --markdown)')
    .option('--csv <file>', 'also write the rows as CSV')
    .option('--markdown <file|->', 'also write the rows as a markdown table (- for stdout)')
    .option('--json', 'machine-readable summary of what was written')
    .description('(re)build the HTML report of a results file')
    .action(async (files: string[], opts: { sweep?: string; out?: string; figures?: string; formats?: FigureFormat[]; html: boolean; csv?: string; markdown?: string; json?: boolean }) => {
      ensureMarkdownWritable(opts.markdown);
      const rows = pickRows(files, opts.sweep);
      const sweep = opts.sweep === 'all' ? 'all' : rows[0].sweep;
      const out = opts.out;
      const written = await writeOutputs(rows, {
        title: `mvbench sweep '${rows[0].plan}'`,
        plan: rows[0].plan,
        sweep,
        reportDir: out || !opts.html ? undefined : join(repoRoot, 'results', 'reports'),
        figures: opts.figures,
        figureFormats: opts.formats,
        csv: opts.csv,
      });
      if (out && opts.html) {
        const { buildReport } = await import('@mvbench/report');
        writeFileAtomic(out, buildReport(rows, { title: `mvbench sweep '${rows[0].plan}'`, plan: rows[0].plan, generatedAt: new Date().toISOString() }));
        written.report = out;
      }
      if (opts.markdown) writeMarkdown(opts.markdown, sweepMarkdown(rows, `mvbench sweep '${rows[0].plan}'`));
      if (opts.json) return printJson({ plan: rows[0].plan, sweep, rows: rows.length, ...written, markdown: opts.markdown ?? null });
      if (opts.markdown === '-') return;
      for (const [what, path] of Object.entries(written)) if (path) console.log(`${what}: ${path}`);
    });

  program
    .command('merge')
    .argument('<shards...>', 'results files of the shards (JSONL)')
    .requiredOption('-o, --out <file.jsonl>', 'merged results file')
    .option('--report <file.html>', 'also write the report of the merged rows')
    .option('--json', 'machine-readable summary')
    .description('combine the results of shards (--shard i/n) into one results file and report')
    .action(async (files: string[], opts: { out: string; report?: string; json?: boolean }) => {
      const shards = files.map(readShard);
      checkShards(shards);
      for (const w of shardCalibrationWarnings(shards)) console.error(w);
      const rows = shards.flatMap((s) => latestPerCell(s.rows)); // a retried cell's latest row
      const seen = new Set<string>();
      const sweep = rows[0].sweep.replace(/-shard\d+of\d+$/, '');
      const merged = rows.filter((r) => !seen.has(r.cell) && seen.add(r.cell)).map((r) => ({ ...r, sweep }));
      const duplicates = rows.length - merged.length;
      ensureWritable(opts.out);
      // one atomic write: the output may be one of the shards, which must survive an interrupted merge
      writeFileAtomic(opts.out, merged.map((r) => JSON.stringify(r) + '\n').join(''));
      if (opts.report) {
        const { buildReport } = await import('@mvbench/report');
        writeFileAtomic(opts.report, buildReport(merged, { title: `mvbench sweep '${merged[0].plan}' (merged)`, plan: merged[0].plan, generatedAt: new Date().toISOString() }));
      }
      const summary = { rows: merged.length, duplicates, shards: files.length, out: opts.out, report: opts.report ?? null };
      if (opts.json) return printJson(summary);
      console.log(`merged ${files.length} files: ${merged.length} rows (${duplicates} duplicate cells dropped) -> ${opts.out}`);
      if (opts.report) console.log(`report: ${opts.report}`);
    });

  program
    .command('export')
    .argument('<results>', 'results file (JSONL)')
    .option('--csv <file>', 'CSV file to write (columns defined in results/README.md)')
    .option('--markdown <file|->', 'markdown table to write (- for stdout), like hyperfine --export-markdown')
    .option('--sweep <id|all>', 'which sweep (default: the last one)')
    .option('--json', 'the rows as JSON on stdout (like hyperfine --export-json); with --csv/--markdown, a summary of what was written')
    .description('export result rows as CSV for notebooks, as a markdown table or as JSON')
    .action((file: string, opts: { csv?: string; markdown?: string; sweep?: string; json?: boolean }) => {
      if (!opts.csv && !opts.markdown && !opts.json) throw userError('BAD_ARGUMENT', 'export: give --csv <file> and/or --markdown <file|->, or --json for the rows as JSON');
      if (opts.csv) ensureWritable(opts.csv, 'CSV file (--csv)');
      ensureMarkdownWritable(opts.markdown);
      const rows = pickRows([file], opts.sweep);
      if (opts.csv) writeFileAtomic(opts.csv, toCsv(rows));
      if (opts.markdown) writeMarkdown(opts.markdown, sweepMarkdown(rows, `mvbench sweep '${rows[0].plan}'`));
      const sweep = opts.sweep === 'all' ? 'all' : rows[0].sweep;
      if (opts.json && !opts.csv && !opts.markdown) return printJson({ plan: rows[0].plan, sweep, rows });
      if (opts.json) return printJson({ plan: rows[0].plan, sweep, rows: rows.length, csv: opts.csv ?? null, markdown: opts.markdown ?? null });
      if (opts.csv) console.log(`csv: ${opts.csv}`);
    });
}
