// What every counting worker shares (count-worker-*.mjs run under Valgrind, instrumentation off at start): the job
// count.ts wrote, the feeds read from its input files, and switching callgrind's instrumentation on through vgdb.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** { onnx, inputs: [{ name, shape, file }], graphOptimization, runs, silentRuns } (count.ts) */
export const readJob = () => JSON.parse(readFileSync(process.argv[2], 'utf8'));

/** the job's inputs as the runtime's float32 tensors */
export function feedsOf(job, Tensor) {
  const feeds = {};
  for (const i of job.inputs) {
    const bytes = readFileSync(i.file);
    feeds[i.name] = new Tensor('float32', new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), i.shape);
  }
  return feeds;
}

/** switches callgrind's instrumentation on; exits with code 3 (and says why) when vgdb cannot */
export async function instrumentationOn() {
  // vgdb reaches a running process without ptrace: keep the event loop busy (not blocked in a syscall) until it is done
  let said = '';
  let exit;
  const vgdb = spawn('vgdb', [`--pid=${process.pid}`, 'instrumentation', 'on']);
  vgdb.stdout.on('data', (d) => (said += d));
  vgdb.stderr.on('data', (d) => (said += d));
  vgdb.on('exit', (code) => (exit = code));
  vgdb.on('error', (e) => (exit = e.message));
  const until = Date.now() + 120_000;
  while (exit === undefined && Date.now() < until) await new Promise((r) => setImmediate(r));
  if (exit !== 0) {
    console.error(`vgdb could not switch callgrind's instrumentation on (${exit ?? 'no answer in 120 s'}): ${said.trim()}`);
    process.exit(3);
  }
}
