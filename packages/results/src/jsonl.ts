/**
 * Append-only JSONL. Each row is one write of one line followed by fsync, so a sweep killed at any moment
 * leaves every finished row intact; at most a partial last line, which the reader skips and reports.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { userError } from '@mvbench/core';
import type { z } from 'zod';
import { ResultRow } from './schema.ts';

export const appendRow = (file: string, row: ResultRow): void => appendJsonl(file, ResultRow, row);

/** validates `row` against `schema`, then appends it as one line and fsyncs */
export function appendJsonl<S extends z.ZodType>(file: string, schema: S, row: z.infer<S>): void {
  const line = JSON.stringify(schema.parse(row)) + '\n';
  const fd = openSync(file, 'a+');
  try {
    repairTailFd(fd, file);
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file whose last line has no newline was cut by a kill: the next row would be glued onto it. A complete JSON
 * line gets its newline; a partial one (it starts like a row but does not parse) is cut off, fsynced and reported.
 * Anything else is not a results file, and is refused rather than truncated. Costs one fstat and one byte read.
 */
export function repairJsonlTail(file: string): void {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'a+');
  try {
    repairTailFd(fd, file);
  } finally {
    closeSync(fd);
  }
}

function repairTailFd(fd: number, file: string): void {
  const size = fstatSync(fd).size;
  const byte = Buffer.alloc(1);
  if (size === 0 || (readSync(fd, byte, 0, 1, size - 1) === 1 && byte[0] === 0x0a)) return;
  let start = size;
  const chunk = Buffer.alloc(64 * 1024);
  while (start > 0) {
    const from = Math.max(0, start - chunk.length);
    const n = readSync(fd, chunk, 0, start - from, from);
    const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      start = from + nl + 1;
      break;
    }
    start = from;
  }
  const tail = Buffer.alloc(size - start);
  readSync(fd, tail, 0, tail.length, start);
  const text = tail.toString('utf8');
  if (isJson(text)) writeSync(fd, '\n');
  else if (text.trimStart().startsWith('{')) {
    ftruncateSync(fd, start);
    console.error(`mvbench: ${file}: removed a partial last line (${tail.length} bytes, cut by an interrupted write); every complete row is kept`);
  } else throw userError('CORRUPT_FILE', `${file} does not end with a complete line and its last line is not a result row; not appending to it (is it a results file?)`);
  fsyncSync(fd);
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

export interface ReadRows<T = ResultRow> {
  rows: T[];
  /** lines that are not valid rows (e.g. a line cut by a kill), with their line numbers */
  skipped: { line: number; reason: string }[];
}

export const readRows = (file: string): ReadRows => readJsonl(file, ResultRow);

/** the valid rows of a JSONL file; invalid or partial lines are skipped and reported */
export function readJsonl<S extends z.ZodType>(file: string, schema: S): ReadRows<z.infer<S>> {
  if (!existsSync(file)) throw userError('FILE_NOT_FOUND', `results file not found: ${file}`);
  const stat = statSync(file);
  if (!stat.isFile()) throw userError('BAD_ARGUMENT', `${file} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, not a results file (JSONL); give the path of a .jsonl file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw userError('CORRUPT_FILE', `cannot read results file ${file}: ${(e as Error).message}`);
  }
  const rows: z.infer<S>[] = [];
  const skipped: ReadRows['skipped'] = [];
  text
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
