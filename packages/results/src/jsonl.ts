/**
 * Append-only JSONL. Each row is one write of one line followed by fsync, so a sweep killed at any moment
 * leaves every finished row intact; at most a partial last line, which the reader skips and reports.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { userError } from '@mvbench/ir';
import { ResultRow } from './schema.ts';

export function appendRow(file: string, row: ResultRow): void {
  const line = JSON.stringify(ResultRow.parse(row)) + '\n';
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fails before anything is measured when the results file cannot be written */
export function ensureWritable(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) accessSync(file, constants.W_OK);
    else accessSync(dirname(file), constants.W_OK);
  } catch (e) {
    throw userError('UNWRITABLE', `results file ${file} is not writable: ${(e as Error).message}`);
  }
}

export interface ReadRows {
  rows: ResultRow[];
  /** lines that are not valid rows (e.g. a line cut by a kill), with their line numbers */
  skipped: { line: number; reason: string }[];
}

export function readRows(file: string): ReadRows {
  if (!existsSync(file)) throw userError('FILE_NOT_FOUND', `results file not found: ${file}`);
  const rows: ResultRow[] = [];
  const skipped: ReadRows['skipped'] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (!text.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        skipped.push({ line: i + 1, reason: 'not JSON (a partial line from an interrupted write?)' });
        return;
      }
      const parsed = ResultRow.safeParse(json);
      if (parsed.success) rows.push(parsed.data);
      else skipped.push({ line: i + 1, reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    });
  return { rows, skipped };
}
