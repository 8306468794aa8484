/**
 * Proxy accuracy (`mvbench train`): a short training run of the model, rebuilt at a small resolution with a head
 * for the proxy task's classes, then top-1 on held-out images. Deterministic for a seed: initialisation, the subset
 * of images and the order of every epoch come from it (TensorFlow.js wasm, one thread).
 *
 *   dataset (train/test split; an ImageFolder is split 4:1 by index) -> images preprocessed once into memory ->
 *   per epoch a seeded permutation in full batches -> train() -> evaluate() on the held-out images
 */
import { batches, openDataset, preprocessingFor, type Dataset, type Preprocessing } from '@mvbench/data';
import { buildModel, parseSpec, withKnobs, type ModelSpec } from '@mvbench/dsl';
import { mulberry32, userError } from '@mvbench/core';
import { evaluate, recalibrate, train, trainedGraph, type Batch, type Device, type EpochStats } from '@mvbench/train';
import { exportCheckpoint, writeSafetensors } from '@mvbench/weights';
import { writeFileAtomic } from '@mvbench/results';

export interface ProxyOptions {
  spec: string;
  /** 'synthetic', or a dataset directory (CIFAR-10 binary, ImageFolder, ...) */
  data: string;
  resolution: number;
  epochs: number;
  batch: number;
  lr?: number;
  /** images to train on and to test on (default: 2,000 and 500, or fewer when the dataset has fewer) */
  trainImages?: number;
  testImages?: number;
  seed: number;
  /** synthetic only: the first k of its classes (default all 10) */
  classes?: number;
  /** training images whose batch statistics replace BatchNorm's running ones before testing (default 256; 0: none) */
  calibrationImages?: number;
  /** write the trained weights here (safetensors, the model's checkpoint names) for `mvbench eval` or `emit` */
  save?: string;
  onStep?: (step: number, steps: number, loss: number) => void;
  onLoad?: (loaded: number, total: number) => void;
  /** tfjs backend: 'wasm' (default) or 'node' (TensorFlow's C library, after `pnpm setup:tfjs-node`) */
  device?: Device;
}

export interface ProxyResult {
  spec: string;
  /** the spec as trained (resolution replaced) */
  trained: string;
  dataset: string;
  classes: number;
  resolution: number;
  seed: number;
  trainImages: number;
  testImages: number;
  epochs: EpochStats[];
  top1: number;
  top5: number;
  chance: number;
  seconds: number;
  trainImagesPerSecond: number;
}

const DEFAULT_TRAIN = 2000, DEFAULT_TEST = 500, DEFAULT_CALIBRATION = 256;

/** the spec at the proxy resolution; every other knob as given */
export const atResolution = (spec: ModelSpec, resolution: number): ModelSpec => withKnobs(spec, { resolution });

async function splits(o: ProxyOptions): Promise<[Dataset, number[], Dataset, number[]]> {
  const nTrain = o.trainImages ?? DEFAULT_TRAIN, nTest = o.testImages ?? DEFAULT_TEST;
  const synthetic = { size: nTrain, seed: o.seed, classes: o.classes };
  const trainSet = await openDataset(o.data, { split: 'train', synthetic });
  if (trainSet.kind === 'cifar10' || trainSet.kind === 'synthetic') {
    const testSet = await openDataset(o.data, { split: 'test', synthetic: { ...synthetic, size: nTest } });
    return [trainSet, spread(trainSet.size, nTrain), testSet, spread(testSet.size, nTest)];
  }
  const all = Array.from({ length: trainSet.size }, (_, i) => i);
  const test = all.filter((i) => i % 5 === 4), rest = all.filter((i) => i % 5 !== 4);
  return [trainSet, pick(rest, nTrain), trainSet, pick(test, nTest)];
}

/** n indices evenly over 0..size-1 (datasets are often ordered by class) */
const spread = (size: number, n: number) => pick(Array.from({ length: size }, (_, i) => i), n);
const pick = (xs: number[], n: number) => (n >= xs.length ? xs : Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]));

/** the images of `order`, preprocessed, as one buffer with their labels (a proxy set fits in memory) */
async function preload(d: Dataset, order: number[], prep: Preprocessing, onLoad?: (n: number) => void) {
  const per = 3 * prep.crop * prep.crop;
  const images = new Float32Array(order.length * per), labels = new Int32Array(order.length);
  let n = 0;
  for await (const b of batches(d, prep, 64, { order })) {
    images.set(b.input, n * per);
    labels.set(b.labels, n);
    n += b.labels.length;
    onLoad?.(n);
  }
  if (n === 0) throw userError('BAD_DATASET', `${d.description}: none of the ${order.length} images could be read`);
  return { images: images.subarray(0, n * per), labels: labels.subarray(0, n), n, per };
}

function* batchesOf(set: { images: Float32Array; labels: Int32Array; n: number; per: number }, order: ArrayLike<number>, size: number, full: boolean): Generator<Batch> {
  for (let at = 0; at + (full ? size : 1) <= order.length; at += size) {
    const idx = Array.from({ length: Math.min(size, order.length - at) }, (_, j) => order[at + j]);
    const input = new Float32Array(idx.length * set.per), labels = new Int32Array(idx.length);
    idx.forEach((i, j) => (input.set(set.images.subarray(i * set.per, (i + 1) * set.per), j * set.per), (labels[j] = set.labels[i])));
    yield { input, labels };
  }
}

function permutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed), p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

export async function proxyTrain(o: ProxyOptions): Promise<ProxyResult> {
  const t0 = performance.now();
  const spec = parseSpec(o.spec);
  const trainedSpec = atResolution(spec, o.resolution);
  const [trainSet, trainOrder, testSet, testOrder] = await splits(o);
  const classes = trainSet.classes.length;
  // training sees the whole image at the proxy resolution (no crop margin), normalised as the family expects
  const prep = { ...preprocessingFor(spec.family.name, o.resolution), resize: o.resolution, crop: o.resolution };
  const total = trainOrder.length + testOrder.length;
  const trainData = await preload(trainSet, trainOrder, prep, (n) => o.onLoad?.(n, total));
  const testData = await preload(testSet, testOrder, prep, (n) => o.onLoad?.(trainData.n + n, total));
  const stepsPerEpoch = Math.floor(trainData.n / o.batch);
  if (stepsPerEpoch === 0) throw userError('BAD_ARGUMENT', `${trainData.n} training images do not fill one batch of ${o.batch}`);
  const graph = buildModel(trainedSpec, { batch: o.batch, classes, seed: o.seed }).graph;
  const trained = await train(graph, (epoch) => batchesOf(trainData, permutation(trainData.n, o.seed * 1000 + epoch), o.batch, true), {
    epochs: o.epochs, lr: o.lr ?? 2e-3, warmupSteps: Math.min(50, Math.floor((stepsPerEpoch * o.epochs) / 5)), stepsPerEpoch, seed: o.seed, device: o.device,
    onProgress: (step, loss) => o.onStep?.(step, stepsPerEpoch * o.epochs, loss),
  });
  try {
    const calibration = Math.min(trainData.n, o.calibrationImages ?? DEFAULT_CALIBRATION);
    if (calibration >= o.batch) await recalibrate(trained, batchesOf(trainData, Int32Array.from({ length: calibration }, (_, i) => i), o.batch, true));
    if (o.save) writeFileAtomic(o.save, writeSafetensors(exportCheckpoint(trainedGraph(trained)), { spec: trainedSpec.spec, trainedOn: trainSet.description }));
    const held = await evaluate(trained, batchesOf(testData, Int32Array.from({ length: testData.n }, (_, i) => i), o.batch, false));
    const seconds = (performance.now() - t0) / 1000;
    const trainSeconds = trained.epochs.reduce((s, e) => s + (e.steps * o.batch) / e.imagesPerSecond, 0);
    return {
      spec: spec.spec, trained: trainedSpec.spec, dataset: trainSet.description, classes, resolution: o.resolution, seed: o.seed,
      trainImages: trainData.n, testImages: testData.n, epochs: trained.epochs,
      top1: (100 * held.top1) / held.count, top5: (100 * held.top5) / held.count, chance: 100 / classes,
      seconds, trainImagesPerSecond: (stepsPerEpoch * o.batch * o.epochs) / trainSeconds,
    };
  } finally {
    trained.executor.dispose();
  }
}
