/**
 * Runs one cell in its own Node process with a timeout. A crash, a timeout or an out-of-memory becomes an
 * outcome with an error code, never an exception, so the sweep goes on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CellJob, CellOutcome } from './job.ts';

export type Failure = { ok: false; code: string; message: string };

// a cell process must not outlive the sweep (e.g. one killed by SIGTERM): it would go on competing for the CPU
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export const runIsolated = (job: CellJob, timeoutS: number): Promise<CellOutcome> =>
  runInChild<CellJob, CellOutcome>(new URL('./worker.ts', import.meta.url), job, timeoutS);

/** sends `job` to a fresh Node process running `worker` and resolves with its one reply, or with a failure */
export function runInChild<J, O extends { ok: boolean }>(worker: URL, job: J, timeoutS: number): Promise<O | Failure> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(worker), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    running.add(child);
    let stderr = '';
    let outcome: O | Failure | undefined;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      outcome ??= { ok: false, code: 'TIMEOUT', message: `cell did not finish within ${timeoutS} s; the process was killed` };
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('message', (m: O) => (outcome ??= m));
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (!outcome) {
        const oom = /out of memory|bad_alloc|Cannot allocate/i.test(stderr);
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        outcome = {
          ok: false,
          code: oom ? 'OUT_OF_MEMORY' : 'CRASH',
          message: `cell process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${tail ? `: ${tail}` : ''}`,
        };
      }
      resolve(outcome);
    });
    child.send(job as Parameters<typeof child.send>[0]);
  });
}
