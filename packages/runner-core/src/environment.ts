import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Calibration } from './calibrate.ts';

/** Which machine, runtime and code a result came from. Deliberately holds no hostname, user name or path. */
export interface EnvironmentFingerprint {
  cpuModel: string;
  cores: number; // logical
  memoryGiB: number;
  os: string; // e.g. 'Linux 6.1.0-28-amd64 x64'
  node: string;
  commit: string; // git HEAD of the repo, or 'unknown'
  dirty: boolean; // uncommitted changes (tracked files; new untracked files such as results do not count) at fingerprint time
  timerResolutionNs: number;
  /** the machine's speed, measured by calibrate() in the same run (absent when not measured) */
  calibration?: Calibration;
}

export function environmentFingerprint(repoDir = fileURLToPath(new URL('.', import.meta.url))): EnvironmentFingerprint {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...gitState(repoDir),
    timerResolutionNs: timerResolutionNs(),
  };
}

function gitState(dir: string): { commit: string; dirty: boolean } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return { commit: 'unknown', dirty: false }; // no git, or not a checkout
  }
}

/** Smallest nonzero step between consecutive clock reads: the clock's granularity plus the cost of reading it. */
function timerResolutionNs(samples = 20_000): number {
  let best = Infinity;
  let prev = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) {
    const now = process.hrtime.bigint();
    const d = Number(now - prev);
    if (d > 0 && d < best) best = d;
    prev = now;
  }
  return best;
}
