/**
 * Runs one job in its own Node process with a timeout. A crash, a timeout or an out-of-memory becomes an
 * outcome with an error code, never an exception, so the sweep goes on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Failure } from './steps.ts';

// the loader by its resolved location: a bare `--import tsx` resolves from the working directory, which fails for an
// installed mvbench started outside its checkout
const TSX = import.meta.resolve('tsx');

// a cell process must not outlive the sweep (e.g. one killed by SIGTERM): it would go on competing for the CPU
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export interface ChildOptions {
  /** run under `taskset -c <cpus>` (Linux) */
  cpus?: string;
  /** Node flags besides the TypeScript loader, e.g. --expose-gc */
  nodeFlags?: string[];
  /** what the child says it is doing (reportProgress), e.g. a proxy training's step */
  onProgress?: (text: string) => void;
}

/** sends `job` to a fresh Node process running `worker` and resolves with its one reply, or with a failure */
export function runInChild<J, O extends { ok: boolean }>(worker: URL, job: J, timeoutS: number, o: ChildOptions = {}): Promise<O | Failure> {
  return new Promise((resolve) => {
    const node = [...(o.nodeFlags ?? []), '--import', TSX];
    // fork() runs `execPath execArgv module`: taskset execs Node in place and the IPC channel goes with it
    const exec = o.cpus ? { execPath: 'taskset', execArgv: ['-c', o.cpus, process.execPath, ...node] } : { execArgv: node };
    const child = fork(fileURLToPath(worker), [], { ...exec, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    running.add(child);
    let stderr = '';
    let outcome: O | Failure | undefined;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      outcome ??= { ok: false, code: 'TIMEOUT', message: `cell did not finish within ${timeoutS} s; the process was killed` };
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('message', (m: O | { progress: string }) => {
      if ('progress' in m) o.onProgress?.(m.progress);
      else outcome ??= m;
    });
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
