import { definePlan } from '../plan.ts';

/**
 * Which runtime for Node: the canonical models on every runtime that runs inside a Node process, side by side:
 * onnxruntime-node, onnxruntime-web on wasm, TensorFlow.js on wasm and on TensorFlow's C library (tfjs:node, after
 * `pnpm setup:tfjs-node`), 1 and 2 threads where the runtime has threads (tfjs-backend-wasm has none in Node).
 * tfjs:cpu (plain JavaScript, 0.5-3 s per inference) is left out: it would take most of the time for no contender.
 */
export default definePlan({
  name: 'node',
  description: 'canonical models on ort-node:cpu, ort-web:wasm, tfjs:node (1 and 2 threads) and tfjs:wasm, all in Node',
  axes: [{ family: 'mobilevit' }, { family: 'mobilevitv2' }, { family: 'swiftformer' }, { family: 'mobilenetv2' }],
  runners: [
    { runner: 'ort-node:cpu', threads: [1, 2] },
    { runner: 'ort-web:wasm', threads: [1, 2] },
    { runner: 'tfjs:node', threads: [1, 2] },
    { runner: 'tfjs:wasm', threads: [1] },
  ],
  // one process per cell: the runtimes differ by far more than a process's few percent (benchmarks/precision);
  // within 15 minutes on this machine kind
  measure: { budgetMs: 1200, warmupMaxMs: 1000, minRuns: 10, maxMinutes: 15 },
  accuracy: 'published',
  timeoutS: 240,
});
