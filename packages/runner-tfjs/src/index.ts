export { createTfjsRunner, type TfjsPrepared } from './tfjs-runner.ts';
export type { TfjsDevice } from './backends.ts';
/** the NHWC/ONNX layout helpers, shared with packages/train (same tfjs, same wasm transpose limits) */
export { convert, permute, physAxis, QINV, TO_NHWC, type Layout } from './layout.ts';
