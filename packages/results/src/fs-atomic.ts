import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { userError } from '@mvbench/core';
import { makeDirs } from './writable.ts';

/**
 * writes to a temporary file beside the target, fsyncs it, then renames (and fsyncs the directory): a reader never
 * sees a half-written file, and after a crash the file is either the old or the new one. The temporary file is
 * removed on failure; one left by a killed process is removed by the next write of the same file.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeDirs(dirname(file));
    removeStaleTmp(file);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(dirname(file));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw userError('UNWRITABLE', `cannot write ${file}: ${(e as Error).message}`);
  }
}

/** makes the rename durable; some platforms and file systems cannot open or fsync a directory, which is fine */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function removeStaleTmp(file: string): void {
  const prefix = `${basename(file)}.`;
  for (const name of readdirSync(dirname(file))) {
    const pid = name.startsWith(prefix) && /^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1];
    if (pid && Number(pid) !== process.pid && !isAlive(Number(pid))) rmSync(join(dirname(file), name), { force: true });
  }
}

/** whether a process with this id exists (EPERM: it exists but belongs to another user) */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * a file name made from data (a sweep id, a plan name): only letters, digits, '.', '_' and '-', never starting
 * with '.', at most 120 characters, so that `join(dir, safeFileName(x))` always stays inside `dir`
 */
export function safeFileName(text: string, fallback = 'unnamed'): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120);
  return name || fallback;
}
