/** Is Valgrind (with callgrind and vgdb) on this machine? Asked once per PATH. */
import { spawnSync } from 'node:child_process';

export type ValgrindStatus = { ok: true; version: string } | { ok: false; reason: string };

const INSTALL_HINT = 'install it with your package manager (Debian/Ubuntu: apt-get install valgrind)';
const cache = new Map<string, ValgrindStatus>();

export function valgrindStatus(path = process.env.PATH ?? ''): ValgrindStatus {
  const known = cache.get(path);
  if (known) return known;
  const env = { ...process.env, PATH: path };
  const v = spawnSync('valgrind', ['--version'], { encoding: 'utf8', env });
  const vgdb = spawnSync('vgdb', ['--help'], { encoding: 'utf8', env });
  const status: ValgrindStatus =
    v.error || v.status !== 0
      ? { ok: false, reason: `valgrind is not installed (or not on PATH): ${INSTALL_HINT}` }
      : vgdb.error
        ? { ok: false, reason: `vgdb (part of valgrind) is not on PATH: ${INSTALL_HINT}` }
        : { ok: true, version: v.stdout.trim() };
  cache.set(path, status);
  return status;
}
