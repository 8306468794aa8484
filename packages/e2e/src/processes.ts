/** The CLI as long-running processes (queue workers, coordinators) that a test kills the way a dead machine dies. */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliCommand } from './cli.ts';

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

/** the CLI in a process group of its own (kill -9 of the group takes the cell process with it, as a dead machine would) */
export function start(args: string[]): Proc {
  const child = spawn(cliCommand.bin, [...cliCommand.args, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 137)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export const killGroup = (p: Proc, signal: NodeJS.Signals) => {
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    // already gone
  }
};

export async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  for (const t0 = Date.now(); !ok(); await sleep(100)) if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
}
