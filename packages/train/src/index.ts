export { createExecutor, type Executor, type ExecutorOptions, type RunCtx } from './executor.ts';
export { crossEntropy, evaluate, learningRate, recalibrate, train, trainedGraph } from './train.ts';
export type { Batch, Batches, EpochStats, Evaluation, Trained, TrainOptions } from './train.ts';
export { activationInputs, gradNorm, layerWeights, naswot, slogdet, snip, synflow, type ZeroCostOptions } from './zero-cost.ts';
export { loadTf, useDevice, type Device, type TF } from './tf.ts';
export { conv2d, type ConvSpec } from './custom-grads.ts';
