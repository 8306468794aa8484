/**
 * Checks made before any work: a path that cannot be written is found before minutes of measuring or training,
 * not after. Each one really opens the file (access() says yes for root on /proc, where creating a file fails).
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userError } from '@mvbench/core';

/**
 * `mkdir -p` that fails instead of hanging: Node's `mkdirSync(dir, { recursive: true })` loops forever under /proc
 * (seen with Node 20 on '/proc/x'), so the missing levels below the deepest existing folder are made one by one.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}

/** `file` can be appended to (created if missing, then removed again so nothing is left behind) */
export function ensureWritable(file: string, what = 'results file'): void {
  try {
    if (existsSync(file) && statSync(file).isDirectory()) throw new Error('it is a directory');
    makeDirs(dirname(file));
    const existed = existsSync(file);
    closeSync(openSync(file, 'a'));
    if (!existed) unlinkSync(file);
  } catch (e) {
    throw userError('UNWRITABLE', `${what} ${file} is not writable: ${(e as Error).message}`);
  }
}

/** files can be created in `dir` (created if missing) */
export function ensureWritableDir(dir: string, what: string): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error('it is a file');
    makeDirs(dir);
    const probe = join(dir, `.mvbench-write-check-${process.pid}`);
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
  } catch (e) {
    throw userError('UNWRITABLE', `${what} ${dir} is not writable: ${(e as Error).message}`);
  }
}
