import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { batches, checkClasses, type Dataset } from './dataset.ts';
import { openDataset } from './open-dataset.ts';
import type { Preprocessing } from './preprocess.ts';

const root = mkdtempSync(join(tmpdir(), 'mvbench-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let fresh = 0;
const newDir = (name: string): string => {
  const d = join(root, `${name}-${fresh++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** an 8 x 6 image of one colour, in the format its extension says */
async function solid(file: string, rgb: [number, number, number]): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const img = sharp({ create: { width: 8, height: 6, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  const ext = file.toLowerCase().split('.').pop();
  await (ext === 'webp' ? img.webp({ lossless: true }) : ext === 'png' ? img.png() : img.jpeg({ quality: 100 })).toFile(file);
}

/** [0, 1] pixels, 6 x 6 centre crop, no resize */
const PREP: Preprocessing = { resize: 6, crop: 6, interpolation: 'bicubic', mean: [0, 0, 0], std: [1, 1, 1], source: 'test' };

const labelsOf = (ds: Dataset): number[] => Array.from({ length: ds.size }, (_, i) => ds.item(i).label);
const idsOf = (ds: Dataset): string[] => Array.from({ length: ds.size }, (_, i) => ds.item(i).id);
const redOf = async (ds: Dataset, i: number): Promise<number> => Math.round((await ds.item(i).load(PREP))[0] * 255);

async function collect(ds: Dataset, batchSize: number, order?: number[]) {
  const out = [];
  for await (const b of batches(ds, PREP, batchSize, { order, concurrency: 3 })) out.push(b);
  return out;
}

describe('image-folder', () => {
  it('takes classes from sorted sub-folders and images (any case, nested) sorted, like torchvision', async () => {
    const d = newDir('folder');
    await solid(join(d, 'b_cls/2.PNG'), [20, 0, 0]);
    await solid(join(d, 'b_cls/1.jpeg'), [20, 0, 0]);
    await solid(join(d, 'a_cls/x.webp'), [10, 0, 0]);
    await solid(join(d, 'a_cls/deeper/y.png'), [10, 0, 0]);
    await solid(join(d, 'C/z.JPG'), [30, 0, 0]);
    writeFileSync(join(d, 'a_cls/notes.txt'), 'not an image');
    writeFileSync(join(d, 'README'), 'top-level files are ignored');
    const ds = await openDataset(d);
    expect(ds.kind).toBe('image-folder');
    expect(ds.classes).toEqual(['C', 'a_cls', 'b_cls']); // code-unit order: upper case first
    expect(idsOf(ds)).toEqual(['C/z.JPG', 'a_cls/x.webp', 'a_cls/deeper/y.png', 'b_cls/1.jpeg', 'b_cls/2.PNG']);
    expect(labelsOf(ds)).toEqual([0, 1, 1, 2, 2]);
    expect(ds.description).toMatch(/5 images, 3 classes/);
    expect(await redOf(ds, 0)).toBeCloseTo(30, -1);
    expect(await redOf(ds, 1)).toBe(10);
    checkClasses(ds, 3);
    expect(() => checkClasses(ds, 1000)).toThrow(/3 classes but the model head has 1000 outputs.*class names/);
  });

  it('maps folders by name through a class-names file (a subset of a larger head)', async () => {
    const d = newDir('subset');
    await solid(join(d, 'n003/a.png'), [1, 2, 3]);
    await solid(join(d, 'n001/b.png'), [1, 2, 3]);
    const names = join(d, '..', `names-${fresh}.txt`);
    writeFileSync(names, 'n000 zero, nil\nn001 one\n\nn002 two\nn003 three\n');
    const ds = await openDataset(d, { classNames: names });
    expect(ds.classes).toEqual(['n000 zero, nil', 'n001 one', 'n002 two', 'n003 three']);
    expect(labelsOf(ds)).toEqual([1, 3]);
    checkClasses(ds, 4);
    expect(() => checkClasses(ds, 3)).toThrow(/labels beyond the head: 3 \(n003 three\)/);
    await solid(join(d, 'n999/c.png'), [1, 2, 3]);
    await expect(openDataset(d, { classNames: names })).rejects.toMatchObject({ code: 'BAD_DATASET', message: expect.stringMatching(/not listed.*n999/) });
  });

  it('rejects class folders without images', async () => {
    const d = newDir('emptyclass');
    await solid(join(d, 'a/1.png'), [0, 0, 0]);
    mkdirSync(join(d, 'b'));
    await expect(openDataset(d)).rejects.toThrow(/class folders without images.*: b$/);
  });
});

describe('imagenet-val', () => {
  const names = ['n00', 'n01 cat', 'n02 dog'];
  async function flat(): Promise<string> {
    const d = newDir('val');
    for (const [i, red] of [[1, 10], [2, 20], [3, 30]]) await solid(join(d, `ILSVRC2012_val_0000000${i}.JPEG`), [red, 0, 0]);
    return d;
  }

  it('reads "<file> <label>" lines with integer labels, or names through class names', async () => {
    const d = await flat();
    writeFileSync(join(d, 'labels.txt'), 'ILSVRC2012_val_00000003.JPEG 7\nILSVRC2012_val_00000001.JPEG,0\n\nILSVRC2012_val_00000002.JPEG\t250\n');
    const ds = await openDataset(d);
    expect(ds.kind).toBe('imagenet-val');
    expect(labelsOf(ds)).toEqual([0, 250, 7]);
    expect(ds.classesComplete).toBe(false);
    checkClasses(ds, 1000); // integer labels index the head directly
    expect(() => checkClasses(ds, 100)).toThrow(/labels beyond the head: 250/);
    expect(await redOf(ds, 2)).toBeCloseTo(30, -1);

    const byName = join(root, `by-name-${fresh++}.txt`);
    writeFileSync(byName, 'ILSVRC2012_val_00000001.JPEG n02\nILSVRC2012_val_00000002.JPEG 1\nILSVRC2012_val_00000003.JPEG n01\n');
    const named = await openDataset(d, { labels: byName, classNames: names });
    expect(labelsOf(named)).toEqual([2, 1, 1]);
    expect(named.classes).toEqual(names);
  });

  it("reads Kaggle's LOC_val_solution.csv (ImageId without extension, synset first)", async () => {
    const d = await flat();
    const csv = join(root, `LOC_val_solution-${fresh++}.csv`);
    writeFileSync(
      csv,
      'ImageId,PredictionString\r\nILSVRC2012_val_00000002,n02 1 2 3 4 n02 5 6 7 8 \r\nILSVRC2012_val_00000001,n00 1 1 9 9\r\nILSVRC2012_val_00000003,n01 0 0 1 1\r\n',
    );
    const ds = await openDataset(d, { labels: csv, classNames: names });
    expect(labelsOf(ds)).toEqual([0, 2, 1]);
    checkClasses(ds, 3);
    await expect(openDataset(d, { labels: csv })).rejects.toThrow(/label 'n02' is not an integer; give --class-names/);
  });

  it('lists images without a label and labels without an image', async () => {
    const d = await flat();
    const labels = join(root, `partial-${fresh++}.txt`);
    writeFileSync(labels, 'ILSVRC2012_val_00000001.JPEG 1\n');
    await expect(openDataset(d, { labels })).rejects.toThrow(/2 images .* have no label .*ILSVRC2012_val_00000002.JPEG, ILSVRC2012_val_00000003.JPEG/);
    writeFileSync(labels, 'ILSVRC2012_val_00000001.JPEG 1\nILSVRC2012_val_00000002.JPEG 1\nILSVRC2012_val_00000003.JPEG 1\nILSVRC2012_val_00000009.JPEG 1\n');
    await expect(openDataset(d, { labels })).rejects.toThrow(/1 labels in .* name no image .*: ILSVRC2012_val_00000009.JPEG/);
    writeFileSync(labels, 'ILSVRC2012_val_00000001.JPEG\n');
    await expect(openDataset(d, { labels })).rejects.toThrow(/:1: expected '<file> <label>'/);
  });
});

describe('cifar10', () => {
  /** records with the given labels; record i has red = 10 + i everywhere, and green 255 at (row 0, column 1) */
  function records(labels: number[]): Buffer {
    const b = Buffer.alloc(labels.length * 3073);
    labels.forEach((label, i) => {
      const r = b.subarray(i * 3073, (i + 1) * 3073);
      r[0] = label;
      r.fill(10 + i, 1, 1025);
      r[1 + 1024 + 1] = 255;
    });
    return b;
  }

  it('reads the test split, planes to RGB, names from batches.meta.txt', async () => {
    const d = newDir('cifar');
    writeFileSync(join(d, 'test_batch.bin'), records([3, 0, 9]));
    writeFileSync(join(d, 'batches.meta.txt'), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join('\n') + '\n\n');
    const ds = await openDataset(d);
    expect(ds).toMatchObject({ kind: 'cifar10', size: 3, description: 'CIFAR-10 test (3 images)' });
    expect(ds.classes[9]).toBe('j');
    expect(labelsOf(ds)).toEqual([3, 0, 9]);
    expect(idsOf(ds)).toEqual(['test_batch.bin#0', 'test_batch.bin#1', 'test_batch.bin#2']);
    const t = await ds.item(2).load({ ...PREP, resize: 32, crop: 32 });
    expect(Math.round(t[0] * 255)).toBe(12); // red plane, (0, 0)
    expect(t[32 * 32 + 1]).toBe(1); // green plane, (0, 1)
    expect(t[32 * 32]).toBe(0);
    expect(() => checkClasses(ds, 1000)).toThrow(/CIFAR-10 test \(3 images\) has 10 classes but the model head has 1000 outputs/);
  });

  it('reads the train split from data_batch_1..5.bin, inside cifar-10-batches-bin too', async () => {
    const d = newDir('cifar-train');
    const inner = join(d, 'cifar-10-batches-bin');
    mkdirSync(inner);
    for (let k = 1; k <= 5; k++) writeFileSync(join(inner, `data_batch_${k}.bin`), records([k, k]));
    const ds = await openDataset(d, { split: 'train' });
    expect(labelsOf(ds)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(ds.classes[0]).toBe('airplane');
    await expect(openDataset(d)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('test_batch.bin') });
  });

  it('names the file and the record of a bad size or label', async () => {
    const d = newDir('cifar-bad');
    writeFileSync(join(d, 'test_batch.bin'), Buffer.concat([records([1]), Buffer.alloc(5)]));
    await expect(openDataset(d)).rejects.toThrow(/test_batch.bin: 3078 bytes is not a whole number of 3073-byte/);
    writeFileSync(join(d, 'test_batch.bin'), records([1, 2, 10]));
    await expect(openDataset(d)).rejects.toThrow(/test_batch.bin: record 2 has label 10/);
  });
});

describe('openDataset errors', () => {
  it('a missing directory, an empty one, flat images without labels, an unknown layout name', async () => {
    await expect(openDataset(join(root, 'nowhere'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const empty = newDir('empty');
    await expect(openDataset(empty)).rejects.toMatchObject({
      code: 'BAD_DATASET',
      message: expect.stringMatching(new RegExp(`no images in ${empty} \\(looked for .jpg .jpeg .png .webp`)),
    });
    const flat = newDir('flat');
    await solid(join(flat, 'a.png'), [0, 0, 0]);
    await expect(openDataset(flat)).rejects.toThrow(/1 images and no labels file.*Known layouts: image-folder .*imagenet-val .*cifar10 .*synthetic/);
    await expect(openDataset(flat, { layout: 'mnist' as never })).rejects.toThrow(/unknown dataset layout 'mnist'/);
  });
});

describe('batches', () => {
  it('fills batches in order, skips and records an undecodable image once, honours `order`', async () => {
    const d = newDir('batches');
    for (let i = 0; i < 6; i++) await solid(join(d, 'c', `${i}.png`), [10 * i, 0, 0]);
    writeFileSync(join(d, 'c', '3.png'), 'corrupt');
    const ds = await openDataset(d);
    const all = await collect(ds, 2);
    expect(all.map((b) => b.ids)).toEqual([['c/0.png', 'c/1.png'], ['c/2.png', 'c/4.png'], ['c/5.png']]);
    expect(all[1].input.length).toBe(2 * 3 * 6 * 6);
    expect(all[2].input.length).toBe(3 * 6 * 6);
    expect(Math.round(all[1].input[3 * 36] * 255)).toBe(40); // second image of the batch, red plane
    expect(Array.from(all[0].labels)).toEqual([0, 0]);
    expect(ds.skipped).toEqual([{ file: join(d, 'c', '3.png'), reason: expect.stringContaining('cannot decode') }]);

    const reordered = await collect(ds, 4, [5, 3, 0]);
    expect(reordered.map((b) => b.ids)).toEqual([['c/5.png', 'c/0.png']]);
    expect(ds.skipped).toHaveLength(1);
  });

  it('rejects a bad batch size or order', async () => {
    const ds = await openDataset('synthetic', { synthetic: { size: 4 } });
    await expect(collect(ds, 0)).rejects.toThrow(/batch size/);
    await expect(collect(ds, 2, [0, 4])).rejects.toThrow(/order\[1\] = 4 is not an item index/);
  });
});
