/** The git operations of a regression check: resolve revisions, refuse a dirty tree, temporary worktrees. */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '@mvbench/core';
import { makeTempDir } from '@mvbench/cell';

export const git = (args: string[], cwd: string): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export function resolveRev(rev: string, cwd: string): string {
  try {
    return git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
  } catch {
    throw userError('BAD_ARGUMENT', `base revision '${rev}' does not exist in this repository (try a branch, tag or commit; 'git fetch' first for remote ones)`);
  }
}

export function defaultBase(cwd: string): string {
  for (const ref of ['origin/main', 'origin/master']) {
    try {
      return git(['merge-base', 'HEAD', ref], cwd);
    } catch {
      /* no such remote branch */
    }
  }
  return 'HEAD~1';
}

export function assertClean(cwd: string): void {
  const dirty = git(['status', '--porcelain', '--untracked-files=no'], cwd);
  if (dirty)
    throw userError('BAD_ARGUMENT', `the work tree has uncommitted changes; commit or stash them first (head must be a commit):\n${dirty.split('\n').slice(0, 10).join('\n')}`);
}

export const commitInfo = (sha: string, cwd: string) => {
  const [subject, date] = git(['show', '-s', '--format=%s%n%cI', sha], cwd).split('\n');
  return { sha, subject, date };
};

/** a detached worktree at `sha` in a temporary folder, removed with its folder by the returned function, on exit or on a signal */
export function addWorktree(sha: string, cwd: string): { dir: string; remove: () => void } {
  const removeWorktree = (tree: string) => {
    try {
      git(['worktree', 'remove', '--force', tree], cwd);
    } catch {
      rmSync(tree, { recursive: true, force: true });
      git(['worktree', 'prune'], cwd);
    }
  };
  const temp = makeTempDir('mvbench-base', (parent) => removeWorktree(join(parent, 'tree')));
  const dir = join(temp.dir, 'tree');
  try {
    git(['worktree', 'add', '--detach', '--quiet', dir, sha], cwd);
  } catch (e) {
    temp.remove();
    throw e;
  }
  return { dir, remove: temp.remove };
}
