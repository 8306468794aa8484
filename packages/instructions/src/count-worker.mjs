// Runs under Valgrind (callgrind, instrumentation off at start): plain JavaScript, so nothing but Node and
// onnxruntime-node is loaded under the slow simulator. Creates the session, switches instrumentation on through
// vgdb, then runs the model `runs` times; callgrind counts only inside InferenceSessionWrap::Run and dumps after
// each call (count.ts reads the dumps). Settings as runner-ort-node's, with 1 intra-op thread.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { feedsOf, instrumentationOn, readJob } from './count-worker-common.mjs';

const job = readJob();
const session = await ort.InferenceSession.create(readFileSync(job.onnx), {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: job.graphOptimization,
  enableCpuMemArena: true,
});
const feeds = feedsOf(job, ort.Tensor);
for (let i = 0; i < job.silentRuns; i++) await session.run(feeds);
await instrumentationOn();
for (let i = 0; i < job.runs; i++) await session.run(feeds);
await session.release();
