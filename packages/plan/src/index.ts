export * from './plan.ts';
export * from './expand.ts';
export * from './budget.ts';
export { PLANS } from './plans/index.ts';
export * from './catalogue.ts';
export * from './json-schema.ts';
export { loadOnnxModel, parseInputShape, onnxModelBytes, type OnnxCellModel } from './onnx-models.ts';
