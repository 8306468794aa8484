/**
 * The dataset interface every layout implements, lazily per image, and the batching every consumer uses:
 * `mvbench eval` iterates in order and counts top-1/top-5; `mvbench train` passes a shuffled `order` per epoch.
 */
import { MvbenchError } from '@mvbench/core';
import { msg } from './messages.ts';
import type { Preprocessing } from './preprocess.ts';

export type DatasetKind = 'image-folder' | 'imagenet-val' | 'cifar10' | 'synthetic';

export interface DatasetItem {
  /** stable within the dataset: a path relative to its root, `test_batch.bin#17`, `synthetic/test/17` */
  id: string;
  label: number;
  /** the file to name when the item cannot be loaded */
  file?: string;
  /** CHW [3, prep.crop, prep.crop] */
  load(prep: Preprocessing): Promise<Float32Array>;
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface Dataset {
  kind: DatasetKind;
  /** for result rows, e.g. 'CIFAR-10 test (10,000 images)' */
  description: string;
  /** label i is classes[i]; for a class-names list this is the model's output order */
  classes: string[];
  /**
   * false when the classes were inferred from integer labels (a labels file without class names): labels then index
   * the model's outputs directly, and a head larger than `classes` is fine
   */
  classesComplete: boolean;
  size: number;
  item(i: number): DatasetItem;
  /** images that failed to decode during `batches`, each once, in the order met */
  skipped: Skipped[];
}

export interface Batch {
  /** NCHW [n, 3, crop, crop] with n = ids.length (batchSize except at the end) */
  input: Float32Array;
  labels: Int32Array;
  ids: string[];
}

export interface BatchOptions {
  /** item indices in the order to visit (default 0..size-1); a shuffled permutation for training */
  order?: ArrayLike<number>;
  /** images decoded at once (default 8); sharp decodes on libuv's thread pool */
  concurrency?: number;
}

type Loaded = { item: DatasetItem; data: Float32Array } | { item: DatasetItem; error: unknown };

/** a bad image is an input problem to record; anything else is a bug and propagates */
const isBadImage = (e: unknown): e is MvbenchError =>
  e instanceof MvbenchError && (e.code === 'CORRUPT_FILE' || e.code === 'FILE_NOT_FOUND');

/**
 * Batches of preprocessed images, decoded `concurrency` at a time, yielded in `order`. An image that fails to decode is
 * left out, recorded in `dataset.skipped`, and its place filled by the next one, so every batch but the last is full.
 */
export async function* batches(dataset: Dataset, prep: Preprocessing, batchSize: number, opts: BatchOptions = {}): AsyncGenerator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw msg.badArgument(`batch size must be a positive integer, got ${batchSize}`);
  const concurrency = opts.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw msg.badArgument(`concurrency must be a positive integer, got ${concurrency}`);
  const order = opts.order ?? Array.from({ length: dataset.size }, (_, i) => i);
  for (let k = 0; k < order.length; k++)
    if (!Number.isInteger(order[k]) || order[k] < 0 || order[k] >= dataset.size)
      throw msg.badArgument(`order[${k}] = ${order[k]} is not an item index (dataset size ${dataset.size})`);

  const imageSize = 3 * prep.crop * prep.crop;
  const pending: Promise<Loaded>[] = [];
  let next = 0;
  const launch = (): void => {
    const item = dataset.item(order[next++]);
    pending.push(item.load(prep).then((data) => ({ item, data }), (error: unknown) => ({ item, error })));
  };
  while (next < order.length && pending.length < concurrency) launch();

  let input = new Float32Array(batchSize * imageSize);
  let labels = new Int32Array(batchSize);
  let ids: string[] = [];
  while (pending.length > 0) {
    const loaded = await pending.shift()!;
    if (next < order.length) launch();
    if ('error' in loaded) {
      if (!isBadImage(loaded.error)) throw loaded.error;
      const file = loaded.item.file ?? loaded.item.id;
      // a second pass (the next epoch) meets the same file again
      if (!dataset.skipped.some((s) => s.file === file)) dataset.skipped.push({ file, reason: loaded.error.message });
      continue;
    }
    input.set(loaded.data, ids.length * imageSize);
    labels[ids.length] = loaded.item.label;
    ids.push(loaded.item.id);
    if (ids.length === batchSize) {
      yield { input, labels, ids };
      input = new Float32Array(batchSize * imageSize);
      labels = new Int32Array(batchSize);
      ids = [];
    }
  }
  if (ids.length > 0) yield { input: input.slice(0, ids.length * imageSize), labels: labels.slice(0, ids.length), ids };
}

/** Throws BAD_DATASET when the dataset's labels cannot be compared with a head of `headSize` outputs. */
export function checkClasses(dataset: Dataset, headSize: number): void {
  const beyond = new Set<number>();
  for (let i = 0; i < dataset.size; i++) {
    const label = dataset.item(i).label;
    if (label >= headSize) beyond.add(label);
  }
  const n = dataset.classes.length;
  if (beyond.size > 0) {
    const labels = [...beyond].sort((a, b) => a - b);
    throw msg.labelsBeyondHead(dataset.description, n, headSize, labels.map((l) => `${l} (${dataset.classes[l]})`));
  }
  if (n > headSize || (dataset.classesComplete && n !== headSize))
    throw msg.headMismatch(dataset.description, n, headSize, dataset.kind === 'image-folder' || dataset.kind === 'imagenet-val');
}
