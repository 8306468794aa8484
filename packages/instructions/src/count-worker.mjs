// Runs under Valgrind (callgrind, instrumentation off at start): plain JavaScript, so nothing but Node and
// onnxruntime-node is loaded under the slow simulator. Creates the session, switches instrumentation on through
// vgdb, then runs the model `runs` times; callgrind counts only inside InferenceSessionWrap::Run and dumps after
// each call (count.ts reads the dumps). Settings as runner-ort-node's, with 1 intra-op thread.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const session = await ort.InferenceSession.create(readFileSync(job.onnx), {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: job.graphOptimization,
  enableCpuMemArena: true,
});
const feeds = {};
for (const i of job.inputs) {
  const bytes = readFileSync(i.file);
  feeds[i.name] = new ort.Tensor('float32', new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), i.shape);
}

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
for (let i = 0; i < job.runs; i++) await session.run(feeds);
await session.release();
