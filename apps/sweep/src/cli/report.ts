import { join } from 'node:path';
import type { Command } from 'commander';
import { userError } from '@mvbench/ir';
import { latestPerCell } from '@mvbench/results';
import { readRows, toCsv, appendRow, ensureWritable, type ResultRow } from '@mvbench/results';
import { writeFileAtomic } from '../fs-atomic.ts';
import { repoRoot } from '../paths.ts';
import { printJson } from './output.ts';
import { shardCalibrationWarnings } from '../sweep/calibration.ts';

export interface OutputOptions {
  title: string;
  plan: string;
  sweep: string;
  reportDir?: string;
  figures?: string;
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
  if (o.reportDir) writeFileAtomic((written.report = join(o.reportDir, `${o.sweep.replace(/-\d{4}-\d\d-\d\dT.*$/, '')}.html`)), buildReport(rows, meta));
  if (o.figures) {
    await renderFigureFiles(rows, meta, o.figures);
    written.figures = o.figures;
  }
  return written;
}

/** rows of the chosen sweep(s): the last sweep in the file by default */
function pickRows(files: string[], sweep: string | undefined): ResultRow[] {
  const all = files.flatMap((f) => {
    const { rows, skipped } = readRows(f);
    for (const s of skipped) console.error(`mvbench: ${f}:${s.line}: skipped (${s.reason})`);
    return rows;
  });
  // a retried cell (--retry-failed, --retry-contended) has several rows: the latest is the result
  if (sweep === 'all') return latestPerCell(all);
  const chosen = sweep ?? all.at(-1)?.sweep;
  const rows = latestPerCell(all.filter((r) => r.sweep === chosen));
  if (!rows.length) throw userError('BAD_ARGUMENT', `no rows of sweep '${chosen}' in ${files.join(', ')}`);
  return rows;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .argument('<results...>', 'results files (JSONL)')
    .option('--sweep <id|all>', 'which sweep of the file (default: the last one; all: every row)')
    .option('-o, --out <file.html>', 'report file (default results/reports/<plan>.html)')
    .option('--figures <dir>', 'also write every figure as SVG and PNG into this directory')
    .option('--csv <file>', 'also write the rows as CSV')
    .description('(re)build the HTML report of a results file')
    .action(async (files: string[], opts: { sweep?: string; out?: string; figures?: string; csv?: string }) => {
      const rows = pickRows(files, opts.sweep);
      const sweep = opts.sweep === 'all' ? 'all' : rows[0].sweep;
      const out = opts.out;
      const written = await writeOutputs(rows, {
        title: `mvbench sweep '${rows[0].plan}'`,
        plan: rows[0].plan,
        sweep,
        reportDir: out ? undefined : join(repoRoot, 'results', 'reports'),
        figures: opts.figures,
        csv: opts.csv,
      });
      if (out) {
        const { buildReport } = await import('@mvbench/report');
        writeFileAtomic(out, buildReport(rows, { title: `mvbench sweep '${rows[0].plan}'`, plan: rows[0].plan, generatedAt: new Date().toISOString() }));
        written.report = out;
      }
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
      const rows = files.flatMap((f) => readRows(f).rows);
      for (const w of shardCalibrationWarnings(files.map((f) => ({ file: f, rows: readRows(f).rows })))) console.error(w);
      const seen = new Set<string>();
      const merged = rows.filter((r) => !seen.has(r.cell) && seen.add(r.cell));
      const duplicates = rows.length - merged.length;
      const sweep = merged[0]?.sweep.replace(/-shard\d+of\d+$/, '') ?? 'empty';
      ensureWritable(opts.out);
      writeFileAtomic(opts.out, '');
      for (const r of merged) appendRow(opts.out, { ...r, sweep });
      if (opts.report) {
        const { buildReport } = await import('@mvbench/report');
        writeFileAtomic(opts.report, buildReport(merged.map((r) => ({ ...r, sweep })), { title: `mvbench sweep '${merged[0]?.plan}' (merged)`, plan: merged[0]?.plan ?? '', generatedAt: new Date().toISOString() }));
      }
      const summary = { rows: merged.length, duplicates, shards: files.length, out: opts.out, report: opts.report ?? null };
      if (opts.json) return printJson(summary);
      console.log(`merged ${files.length} files: ${merged.length} rows (${duplicates} duplicate cells dropped) -> ${opts.out}`);
      if (opts.report) console.log(`report: ${opts.report}`);
    });

  program
    .command('export')
    .argument('<results>', 'results file (JSONL)')
    .requiredOption('--csv <file>', 'CSV file to write')
    .option('--sweep <id|all>', 'which sweep (default: the last one)')
    .description('export result rows as CSV (columns defined in results/README.md)')
    .action((file: string, opts: { csv: string; sweep?: string }) => {
      writeFileAtomic(opts.csv, toCsv(pickRows([file], opts.sweep)));
      console.log(`csv: ${opts.csv}`);
    });
}
