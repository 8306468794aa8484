/**
 * `mvbench eval`: top-1/top-5 of a model (usually with a checkpoint) on a labelled dataset, with the family's
 * reference preprocessing, on one or more runners. The model is built and the images decoded once; every batch runs
 * on each runner in turn. The model is emitted with a fixed batch; the last batch is zero-padded and its padding
 * ignored. Images that fail to decode are left out and listed in the result, never silently.
 */
import { batches, checkClasses, openDataset, preprocessingFor, type DatasetKind, type Skipped } from '@mvbench/data';
import { userError } from '@mvbench/core';
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
  runners: Runner[];
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
  /** time spent in this runner's inferences, and images per second of it (decoding excluded) */
  seconds: number;
  imagesPerSecond: number;
}

export async function evaluate(o: EvalOptions): Promise<EvalResult[]> {
  if (!Number.isInteger(o.batch) || o.batch < 1) throw userError('BAD_ARGUMENT', `--batch must be a positive integer, got ${o.batch}`);
  if (o.spec.endsWith('.onnx')) throw userError('BAD_ARGUMENT', 'eval takes a model spec (its family decides the preprocessing), not an .onnx file');
  const model = prepareModel(o.spec, { weights: o.weights, batch: o.batch });
  const spec = model.built!.spec;
  const [, classes] = model.artifact.outputs[0].shape;
  const dataset = await openDataset(o.data, { layout: o.layout, labels: o.labels, classNames: o.classNames, split: o.split });
  checkClasses(dataset, classes);
  const prep = preprocessingFor(spec.family.name, spec.resolution);
  const total = Math.min(o.limit ?? dataset.size, dataset.size);
  const order = Array.from({ length: total }, (_, i) => Math.floor((i * dataset.size) / total));
  const input = model.artifact.inputs[0], output = model.artifact.outputs[0].name;
  const arms = [];
  for (const runner of o.runners)
    arms.push({ runner, prepared: await runner.prepare(model.artifact, { threads: o.threads }), seconds: 0, correct1: 0, correct5: 0 });
  const perImage = input.shape.slice(1).reduce((a, b) => a * b, 1);
  const feed = new Float32Array(o.batch * perImage);
  let images = 0;
  o.onProgress?.(0, total);
  for await (const b of batches(dataset, prep, o.batch, { order })) {
    feed.fill(0);
    feed.set(b.input);
    for (const arm of arms) {
      const t0 = performance.now();
      const logits = (await arm.runner.run(arm.prepared, { [input.name]: feed }))[output].data;
      arm.seconds += (performance.now() - t0) / 1000;
      b.labels.forEach((label, i) => {
        const top = topK(logits.subarray(i * classes, (i + 1) * classes), 5);
        arm.correct1 += Number(top[0] === label);
        arm.correct5 += Number(top.includes(label));
      });
    }
    images += b.ids.length;
    o.onProgress?.(images + dataset.skipped.length, total);
  }
  if (images === 0) throw userError('BAD_DATASET', `${dataset.description}: no image could be read (${dataset.skipped.length} skipped: ${dataset.skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ')})`);
  return arms.map((a) => ({
    spec: spec.spec,
    weights: o.weights ?? null,
    dataset: dataset.description,
    preprocessing: prep.source,
    runner: a.runner.id,
    settings: a.prepared.settingsUsed,
    images,
    top1: (100 * a.correct1) / images,
    top5: (100 * a.correct5) / images,
    correct1: a.correct1,
    correct5: a.correct5,
    skipped: dataset.skipped,
    seconds: a.seconds,
    imagesPerSecond: images / a.seconds,
  }));
}
