import { definePlan } from '../plan.ts';

/**
 * The canonical models on every runtime a web deployer uses, side by side: onnxruntime-node, onnxruntime-web in
 * Node and in Chromium (1 and 2 threads) and TensorFlow.js (wasm, single-threaded in Node).
 */
export default definePlan({
  name: 'web',
  description: 'canonical models (+ Config-B, SwiftFormer without attention) on ort-node:cpu, ort-web:wasm, ort-web:wasm-browser (1 and 2 threads) and tfjs:wasm',
  // Config-B and SwiftFormer without attention: the cells the papers' claims need (packages/claims)
  axes: [
    { family: 'mobilevit', patch: ['A', 'B'] },
    { family: 'mobilevitv2' },
    { family: 'swiftformer' },
    { family: 'swiftformer', ids: ['swiftformer_xs', 'swiftformer_s'], attention: ['none'] },
    { family: 'mobilenetv2' },
  ],
  runners: [
    { runner: 'ort-node:cpu', threads: [1, 2] },
    { runner: 'ort-web:wasm', threads: [1, 2] },
    { runner: 'ort-web:wasm-browser', threads: [1, 2] },
    { runner: 'tfjs:wasm', threads: [1] },
  ],
  measure: { budgetMs: 1200, warmupMaxMs: 1000, minRuns: 10 },
  accuracy: 'published',
  timeoutS: 240,
});
