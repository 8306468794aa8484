// ort-web:wasm's counting worker, run under Valgrind like count-worker.mjs: onnxruntime-web's wasm build in Node with
// the runner's settings (runner-ort-web's wasm-runner.ts) and 1 thread. Its inference is JIT-compiled wasm with no
// symbol of its own; callgrind counts inside V8's generic JS-to-wasm wrapper, which every call from JS into wasm
// passes through, and dumps at each process.cpuUsage() (node::CPUUsage), called once after every inference.
// `silentRuns` inferences first, instrumentation still off (fast): they settle the JS glue and let V8 replace the
// generic wrapper of functions that wasm calls back into through JS many times per inference (count.ts explains).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { feedsOf, instrumentationOn, readJob } from './count-worker-common.mjs';

const job = readJob();
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(job.onnx), {
  executionProviders: ['wasm'],
  graphOptimizationLevel: job.graphOptimization,
});
const feeds = feedsOf(job, ort.Tensor);
for (let i = 0; i < job.silentRuns; i++) await session.run(feeds);
await instrumentationOn();
for (let i = 0; i < job.runs; i++) {
  await session.run(feeds);
  process.cpuUsage();
}
await session.release();
