/**
 * `mvbench eval`: top-1/top-5 of a model (usually with a checkpoint) on a labelled dataset, with the family's
 * reference preprocessing, on any runner. The model is emitted with a fixed batch; the last batch is zero-padded and
 * its padding ignored. Images that fail to decode are left out and listed in the result, never silently.
 */
import { batches, checkClasses, openDataset, preprocessingFor, type DatasetKind, type Skipped } from '@mvbench/data';
import { userError } from '@mvbench/ir';
import { prepareModel, topK } from '@mvbench/pipeline';
import type { Runner } from '@mvbench/runner-core';

export interface EvalOptions {
  spec: string;
  weights?: string;
  data: string;
  layout?: DatasetKind;
  labels?: string;
  classNames?: string;
  split?: 'train' | 'test';
  runner: Runner;
  threads: number;
  batch: number;
  /** evaluate this many images, evenly spread over the dataset (whose order is usually by class) */
  limit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EvalResult {
  spec: string;
  weights: string | null;
  dataset: string;
  preprocessing: string;
  runner: string;
  settings: Record<string, unknown>;
  images: number;
  top1: number;
  top5: number;
  correct1: number;
  correct5: number;
  skipped: Skipped[];
  seconds: number;
  imagesPerSecond: number;
}

export async function evaluate(o: EvalOptions): Promise<EvalResult> {
  if (!Number.isInteger(o.batch) || o.batch < 1) throw userError('BAD_ARGUMENT', `--batch must be a positive integer, got ${o.batch}`);
  if (o.spec.endsWith('.onnx')) throw userError('BAD_ARGUMENT', 'eval takes a model spec (its family decides the preprocessing), not an .onnx file');
  const model = prepareModel(o.spec, { weights: o.weights, batch: o.batch });
  const spec = model.built!.spec;
  const [, classes] = model.artifact.outputs[0].shape;
  const dataset = await openDataset(o.data, { layout: o.layout, labels: o.labels, classNames: o.classNames, split: o.split });
  checkClasses(dataset, classes);
  const prep = preprocessingFor(spec.id, spec.resolution);
  const total = Math.min(o.limit ?? dataset.size, dataset.size);
  const order = Array.from({ length: total }, (_, i) => Math.floor((i * dataset.size) / total));
  const prepared = await o.runner.prepare(model.artifact, { threads: o.threads });
  const input = model.artifact.inputs[0], output = model.artifact.outputs[0].name;
  const perImage = input.shape.slice(1).reduce((a, b) => a * b, 1);
  o.onProgress?.(0, total);
  const t0 = performance.now();
  let images = 0, correct1 = 0, correct5 = 0;
  const feed = new Float32Array(o.batch * perImage);
  for await (const b of batches(dataset, prep, o.batch, { order })) {
    feed.fill(0);
    feed.set(b.input);
    const logits = (await o.runner.run(prepared, { [input.name]: feed }))[output].data;
    b.labels.forEach((label, i) => {
      const top = topK(logits.subarray(i * classes, (i + 1) * classes), 5);
      correct1 += Number(top[0] === label);
      correct5 += Number(top.includes(label));
    });
    images += b.ids.length;
    o.onProgress?.(images + dataset.skipped.length, total);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (images === 0) throw userError('BAD_DATASET', `${dataset.description}: no image could be read (${dataset.skipped.length} skipped: ${dataset.skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ')})`);
  return {
    spec: spec.spec,
    weights: o.weights ?? null,
    dataset: dataset.description,
    preprocessing: prep.source,
    runner: o.runner.id,
    settings: prepared.settingsUsed,
    images,
    top1: (100 * correct1) / images,
    top5: (100 * correct5) / images,
    correct1,
    correct5,
    skipped: dataset.skipped,
    seconds,
    imagesPerSecond: images / seconds,
  };
}
