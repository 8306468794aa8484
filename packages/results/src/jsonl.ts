/**
 * Append-only JSONL. Each row is one write of one line followed by fsync, so a sweep killed at any moment
 * leaves every finished row intact; at most a partial last line, which the reader skips and reports.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { userError } from '@mvbench/ir';
import type { z } from 'zod';
import { ResultRow } from './schema.ts';

export const appendRow = (file: string, row: ResultRow): void => appendJsonl(file, ResultRow, row);

/** validates `row` against `schema`, then appends it as one line and fsyncs */
export function appendJsonl<S extends z.ZodType>(file: string, schema: S, row: z.infer<S>): void {
  const line = JSON.stringify(schema.parse(row)) + '\n';
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

export interface ReadRows<T = ResultRow> {
  rows: T[];
  /** lines that are not valid rows (e.g. a line cut by a kill), with their line numbers */
  skipped: { line: number; reason: string }[];
}

export const readRows = (file: string): ReadRows => readJsonl(file, ResultRow);

/** the valid rows of a JSONL file; invalid or partial lines are skipped and reported */
export function readJsonl<S extends z.ZodType>(file: string, schema: S): ReadRows<z.infer<S>> {
  if (!existsSync(file)) throw userError('FILE_NOT_FOUND', `results file not found: ${file}`);
  const rows: z.infer<S>[] = [];
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
      const parsed = schema.safeParse(json);
      if (parsed.success) rows.push(parsed.data);
      else skipped.push({ line: i + 1, reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    });
  return { rows, skipped };
}
