/**
 * Training and evaluation of an IR graph: AdamW (decoupled weight decay, as PyTorch), a cosine learning-rate schedule
 * after a linear warm-up, cross-entropy with optional label smoothing; batches are plain NCHW arrays with labels.
 */
import { userError } from '@mvbench/core';
import { type Graph } from '@mvbench/ir';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { adamW } from './adamw.ts';
import { createExecutor, type Executor } from './executor.ts';
import type { Device, TF } from './tf.ts';

export interface Batch {
  /** NCHW float32 images, exactly the graph's batch size */
  input: Float32Array;
  labels: Int32Array;
}

type Source = Iterable<Batch> | AsyncIterable<Batch>;
/** the batches of every epoch, or a factory called once per epoch (e.g. to reshuffle) */
export type Batches = Source | ((epoch: number) => Source);

export interface TrainOptions {
  epochs?: number;
  /** peak learning rate (default 1e-3) */
  lr?: number;
  /** AdamW decoupled weight decay (default 0.05), not applied to biases and norm parameters (rank <= 1, as timm) */
  weightDecay?: number;
  betas?: [number, number];
  /** steps of linear warm-up from 0 to lr (default 0) */
  warmupSteps?: number;
  /** steps per epoch for the cosine schedule; default: the length of an array, else counted in the first epoch */
  stepsPerEpoch?: number;
  labelSmoothing?: number;
  /** seed of the parameter initialisation (default: the graph's) */
  seed?: number;
  device?: Device;
  onProgress?(step: number, loss: number, imagesPerSecond: number): void;
}

export interface EpochStats {
  epoch: number;
  /** mean training loss and top-1 accuracy over the epoch's batches (training mode) */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  steps: number;
}

export interface Trained {
  executor: Executor;
  epochs: EpochStats[];
}

export interface Evaluation {
  top1: number;
  top5: number;
  count: number;
}

/** mean cross-entropy of logits [B, K] against integer labels, with optional label smoothing (PyTorch's definition) */
export function crossEntropy(tf: TF, logits: Tensor, labels: Int32Array, smoothing = 0): Scalar {
  const k = logits.shape[1]!;
  const target = tf.add(tf.mul(tf.oneHot(tf.tensor1d(labels, 'int32'), k), 1 - smoothing), smoothing / k);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as Scalar;
}

/** lr at step t (0-based): linear warm-up, then half a cosine to 0 over the remaining steps (unknown total: flat) */
export function learningRate(t: number, peak: number, warmup: number, total: number | undefined): number {
  if (t < warmup) return (peak * (t + 1)) / (warmup + 1);
  if (total === undefined) return peak;
  return 0.5 * peak * (1 + Math.cos((Math.PI * Math.min(t - warmup, total - warmup)) / Math.max(1, total - warmup)));
}

function inputOf(tf: TF, graph: Graph, b: Batch): Tensor {
  const shape = graph.inputs[0].shape;
  if (b.input.length !== shape.reduce((x, y) => x * y, 1) || b.labels.length !== shape[0])
    throw userError('BAD_ARGUMENT', `${graph.name}: a batch of ${b.labels.length} labels and ${b.input.length} values does not fit the ` +
      `graph's input [${shape.join(', ')}]; graphs have a static batch size (rebuild with { batch }, or drop the last partial batch)`);
  return tf.tensor(b.input, [...shape]);
}

async function* batchesOf(source: Batches, epoch: number): AsyncGenerator<Batch> {
  yield* typeof source === 'function' ? source(epoch) : source;
}

export async function train(graph: Graph, batches: Batches, opts: TrainOptions = {}): Promise<Trained> {
  const executor = await createExecutor(graph, { device: opts.device, seed: opts.seed });
  const { tf } = executor;
  const optimizer = adamW(tf, executor.params, opts);
  const peak = opts.lr ?? 1e-3, warmup = opts.warmupSteps ?? 0, epochs = opts.epochs ?? 1;
  let perEpoch = opts.stepsPerEpoch ?? (Array.isArray(batches) ? batches.length : undefined);
  const history: EpochStats[] = [];
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      await executor.activate();
      let [lossSum, correct, seen, steps, seconds] = [0, 0, 0, 0, 0];
      for await (const b of batchesOf(batches, epoch)) {
        const start = performance.now();
        const lr = learningRate(step, peak, warmup, perEpoch && perEpoch * epochs);
        const [loss, hits] = tf.tidy(() => {
          let hit: Tensor | undefined;
          const { loss, grads } = executor.gradients(() => {
            const logits = executor.forward(inputOf(tf, graph, b), { training: true }).logits;
            hit = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(b.labels, 'int32')), 'float32')));
            return crossEntropy(tf, logits, b.labels, opts.labelSmoothing);
          });
          optimizer.step(grads, lr);
          return [loss.dataSync()[0], hit!.dataSync()[0]];
        });
        const dt = (performance.now() - start) / 1000;
        [lossSum, correct, seen, seconds] = [lossSum + loss, correct + hits, seen + b.labels.length, seconds + dt];
        steps++;
        step++;
        opts.onProgress?.(step, loss, b.labels.length / dt);
      }
      perEpoch ??= steps;
      history.push({ epoch, loss: lossSum / steps, accuracy: correct / seen, imagesPerSecond: seen / seconds, steps });
    }
  } finally {
    optimizer.dispose();
  }
  return { executor, epochs: history };
}

/** the graph with the executor's current params and buffers as initializer data (for ONNX export, other runners) */
export function trainedGraph(model: Trained | Executor): Graph {
  const executor = 'executor' in model ? model.executor : model;
  const weights = executor.weights();
  const inits = [...executor.graph.initializers].map(([name, i]) => [name, weights.has(name) ? { ...i, init: { kind: 'data' as const, data: weights.get(name)! } } : i] as const);
  return { ...executor.graph, initializers: new Map(inits) };
}

/**
 * BatchNorm recalibration, as Once-for-All evaluates its sub-networks: each running mean and variance becomes the
 * exact average of the batch statistics over `batches` with the trained weights. After a short training the running
 * buffers still carry the early weights' activations, so eval mode lags training mode (a MobileViTv2 variant at
 * chance after 32 steps that trained at 40 %). Returns the batches seen.
 */
export async function recalibrate(model: Trained | Executor, batches: Source): Promise<number> {
  const executor = 'executor' in model ? model.executor : model;
  const { tf, graph } = executor;
  await executor.activate();
  let k = 0;
  for await (const b of batchesOf(batches, 0)) {
    const statsMomentum = 1 / ++k;
    tf.tidy(() => void executor.forward(inputOf(tf, graph, b), { training: true, statsMomentum }));
  }
  return k;
}

/** top-1 and top-5 hits over the batches, eval mode; a last partial batch is padded and only its real rows count */
export async function evaluate(model: Graph | Trained | Executor, batches: Source, opts: { device?: Device } = {}): Promise<Evaluation> {
  const executor = 'graph' in model ? model : 'executor' in model ? model.executor : await createExecutor(model, opts);
  const { tf, graph } = executor;
  await executor.activate();
  const [n, per] = [graph.inputs[0].shape[0], graph.inputs[0].shape.slice(1).reduce((a, b) => a * b, 1)];
  const result = { top1: 0, top5: 0, count: 0 };
  for await (const b of batchesOf(batches, 0)) {
    const real = b.labels.length;
    const padded = real === n ? b : { input: new Float32Array(n * per), labels: new Int32Array(n) };
    if (padded !== b) (padded.input.set(b.input), padded.labels.set(b.labels));
    const top = tf.tidy(() => {
      const logits = executor.forward(inputOf(tf, graph, padded), { training: false }).logits;
      return tf.topk(logits, Math.min(5, logits.shape[1]!)).indices;
    });
    const idx = top.dataSync(), k = top.shape[1]!;
    top.dispose();
    for (let i = 0; i < real; i++) {
      const row = Array.from(idx.subarray(i * k, (i + 1) * k));
      result.top1 += row[0] === b.labels[i] ? 1 : 0;
      result.top5 += row.includes(b.labels[i]) ? 1 : 0;
    }
    result.count += real;
  }
  if (!('graph' in model) && !('executor' in model)) executor.dispose();
  return result;
}
