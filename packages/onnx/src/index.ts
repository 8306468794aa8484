export { toOnnx, DEFAULT_OPSET, type ToOnnxOptions } from './emit.ts';
export { fromOnnx, type FromOnnxOptions } from './parse.ts';
export { readOnnxSummary, type OnnxSummary, type OnnxValueSummary } from './summary.ts';
export { MIN_OPSET, MAX_OPSET, irVersionForOpset } from './opset.ts';
export { readOnnxModelFile, type InputShape, type OnnxModelFile } from './model-file.ts';
