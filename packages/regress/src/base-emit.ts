/**
 * Emits the plan's models with the base revision's own code: install its dependencies in its worktree (from the
 * local pnpm store), then run its `mvbench emit` per model. A base that predates mvbench, or that lacks a model,
 * is reported and skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface BaseEmitter {
  /** why the base cannot emit at all, or undefined */
  unusable?: string;
  emit(spec: string, out: string): { ok: true } | { ok: false; reason: string };
}

export function prepareBase(dir: string, log: (line: string) => void): BaseEmitter {
  const main = join(dir, 'apps/sweep/src/main.ts');
  if (!existsSync(main)) return { unusable: 'the base revision predates the mvbench CLI (no apps/sweep/src/main.ts)', emit: () => ({ ok: false, reason: '' }) };
  log('installing the base revision\'s dependencies (offline, from the pnpm store)');
  const install = (extra: string[]) =>
    spawnSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', ...extra], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  let r = install(['--offline']);
  if (r.status !== 0) r = install([]);
  if (r.status !== 0) return { unusable: `cannot install the base revision's dependencies: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`, emit: () => ({ ok: false, reason: '' }) };
  const tsx = join(dir, 'node_modules/.bin/tsx');
  return {
    emit(spec, out) {
      try {
        execFileSync(tsx, [main, 'emit', spec, '-o', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return { ok: true };
      } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr ?? '').trim();
        return { ok: false, reason: stderr.split('\n').filter((l) => !l.startsWith('$')).slice(-2).join(' ') || 'emit failed' };
      }
    },
  };
}
