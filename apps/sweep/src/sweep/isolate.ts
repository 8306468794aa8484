/**
 * Runs one cell in its own Node process with a timeout. A crash, a timeout or an out-of-memory becomes an
 * outcome with an error code, never an exception, so the sweep goes on.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CellJob, CellOutcome } from './job.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export function runIsolated(job: CellJob, timeoutS: number): Promise<CellOutcome> {
  return new Promise((resolve) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let outcome: CellOutcome | undefined;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      outcome ??= { ok: false, code: 'TIMEOUT', message: `cell did not finish within ${timeoutS} s; the process was killed` };
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('message', (m: CellOutcome) => (outcome ??= m));
    child.on('exit', (code, signal) => {
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
    child.send(job);
  });
}
