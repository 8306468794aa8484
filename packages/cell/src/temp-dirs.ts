/**
 * Temporary folders of this process, named `<prefix>-<pid>-XXXXXX` in the system temp directory. They are removed
 * when done, on exit and on SIGINT/SIGTERM; a process killed harder (kill -9, power loss) leaves them, and the next
 * sweep or regress removes those whose owning process is dead. The age condition keeps folders of processes that
 * merely look dead because they live in another pid namespace (a container sharing the temp directory).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '@mvbench/results';

const TEMP_PREFIXES = ['mvbench-sweep', 'mvbench-base', 'mvbench-regress'] as const;
type TempPrefix = (typeof TEMP_PREFIXES)[number];

const STALE_AFTER_MS = 24 * 3600 * 1000;
const live = new Map<string, () => void>();

/** a fresh temporary folder; `remove()` runs `beforeRemove` (e.g. unregister a git worktree), then deletes it */
export function makeTempDir(prefix: TempPrefix, beforeRemove?: (dir: string) => void): { dir: string; remove: () => void } {
  installHandlers();
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-${process.pid}-`));
  const remove = () => {
    if (!live.delete(dir)) return;
    try {
      beforeRemove?.(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  live.set(dir, remove);
  return { dir, remove };
}

/** removes our temporary folders whose owning process is dead and that are older than a day; returns their paths */
export function removeStaleTempDirs(root = tmpdir(), now = Date.now()): string[] {
  const pattern = new RegExp(`^(?:${TEMP_PREFIXES.join('|')})-(\\d+)-[A-Za-z0-9]{6}$`);
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = join(root, name);
    try {
      if (now - statSync(dir).mtimeMs < STALE_AFTER_MS) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      /* another process removed it first, or it is not ours to remove */
    }
  }
  return removed;
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => {
    for (const remove of [...live.values()]) {
      try {
        remove();
      } catch {
        /* best effort on the way out: a folder left here is removed by a later run */
      }
    }
  });
  // a signal ends the process through process.exit, so the exit hook runs; when the command has a handler of its
  // own (the sweep prints how to resume), that handler exits instead
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
    });
  }
}
