import { hostname } from 'node:os';
import type { Command } from 'commander';
import { checkMachineClass, checkQueueUrl, describeSnapshot, redactUrl, runWorker, type QueueSweepEvents } from '@mvbench/queue';
import { describeRow } from '../sweep/progress.ts';
import { integer } from './output.ts';

interface WorkerFlags {
  queue: string;
  machineClass: string;
  concurrency: number;
  name?: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description("take cells and trainings of the sweeps and searches on a job queue (mvbench sweep/search --queue) and run them on this machine, until stopped")
    .requiredOption('--queue <redis-url>', 'the Redis of the queue, redis://[user:password@]host[:port][/db]')
    .option('--machine-class <name>', "this machine's class: latency cells go only to workers of the sweep's class (accuracy jobs to any)", 'default')
    .option('--concurrency <n>', 'jobs at once (1: one measurement at a time; more makes latencies compete)', integer(1, 64), 1)
    .option('--name <name>', 'how rows and the coordinator name this worker (default <hostname>-<pid>)')
    .action(async (flags: WorkerFlags) => {
      const url = checkQueueUrl(flags.queue);
      const machineClass = checkMachineClass(flags.machineClass, '--machine-class');
      if (flags.concurrency > 1) console.error(`warning: --concurrency ${flags.concurrency}: cells measured at once compete for the CPU; their latencies are not comparable`);
      const stop = new AbortController();
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => {
          console.error(`\n${signal}: stopping; a cell in hand goes to another worker when its lock expires`);
          stop.abort();
        });
      console.error(`worker on ${redactUrl(url)}, machine class '${machineClass}'`);
      await runWorker({ queueUrl: url, machineClass, concurrency: flags.concurrency, name: flags.name ?? `${hostname()}-${process.pid}`, log: (line) => console.error(line), signal: stop.signal });
    });
}

/** the coordinator's display: a line per row; the queue's state every 15 s (a status line on a terminal) */
export function queueSweepEvents(json: boolean, out: string): QueueSweepEvents {
  let last = 0;
  const tty = process.stderr.isTTY && !json;
  return {
    log: (line) => !json && console.error(line),
    warn: (line) => console.error(line),
    row: (row, s) => {
      if (json) return;
      if (tty) process.stderr.write('\r\x1b[K');
      console.error(`[${s.done}/${s.total}] ${row.spec} ${row.runner} t${row.threads} (${row.worker?.name ?? 'coordinator'}): ${describeRow(row)}`);
    },
    status: (s) => {
      if (json) return;
      if (tty) return void process.stderr.write(`\r\x1b[K${describeSnapshot(s).slice(0, (process.stderr.columns ?? 120) - 1)}`);
      if (Date.now() - last < 15_000) return;
      last = Date.now();
      console.error(`queue: ${describeSnapshot(s)}`);
    },
    interrupted: (signal, newRows) => console.error(`\ninterrupted (${signal}): ${newRows} new rows are in ${out}; the workers go on; continue with --resume`),
  };
}
