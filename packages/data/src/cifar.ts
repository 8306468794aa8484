/**
 * CIFAR-10's binary version (cifar-10-binary.tar.gz): data_batch_1..5.bin (train) and test_batch.bin (test), each
 * a run of 3073-byte records: 1 label byte, then 32x32 red, 32x32 green, 32x32 blue, each plane row-major.
 * Only the labels are read up front; an item reads its record when loaded.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, DatasetItem } from './dataset.ts';
import { count, requireDir } from './files.ts';
import { msg } from './messages.ts';
import { fromPixels } from './preprocess.ts';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
const NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
export const CIFAR_FILES = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

function readRange(file: string, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer;
}

/** one byte per record, validated */
function readLabels(file: string): Uint8Array {
  const bytes = statSync(file).size;
  if (bytes === 0 || bytes % RECORD !== 0) throw msg.cifarSize(file, bytes);
  const n = bytes / RECORD;
  const labels = new Uint8Array(n);
  const chunk = 1000;
  for (let first = 0; first < n; first += chunk) {
    const records = Math.min(chunk, n - first);
    const buffer = readRange(file, first * RECORD, records * RECORD);
    for (let r = 0; r < records; r++) {
      const label = buffer[r * RECORD];
      if (label >= 10) throw msg.cifarLabel(file, first + r, label);
      labels[first + r] = label;
    }
  }
  return labels;
}

/** planar RGB record -> HWC pixels */
function pixels(record: Buffer): Uint8Array {
  const rgb = new Uint8Array(3 * PLANE);
  for (let p = 0; p < PLANE; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = record[1 + c * PLANE + p];
  return rgb;
}

function classNames(dir: string): string[] {
  const meta = join(dir, 'batches.meta.txt');
  if (!existsSync(meta)) return NAMES;
  const names = readRange(meta, 0, statSync(meta).size).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
  if (names.length !== 10) throw msg.cifarMeta(meta, names.length);
  return names;
}

export function openCifar10(dir: string, split: 'train' | 'test'): Dataset {
  requireDir(dir, 'CIFAR-10 directory');
  const files = CIFAR_FILES[split];
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw msg.cifarMissing(dir, split, files);
  const parts = files.map((f) => ({ file: join(dir, f), labels: readLabels(join(dir, f)) }));
  const index: { part: number; record: number }[] = parts.flatMap((p, part) => Array.from(p.labels, (_, record) => ({ part, record })));
  const item = (i: number): DatasetItem => {
    const { part, record } = index[i];
    const { file, labels } = parts[part];
    return {
      id: `${files[part]}#${record}`,
      label: labels[record],
      file: `${file} record ${record}`,
      load: (prep) => fromPixels(pixels(readRange(file, record * RECORD, RECORD)), SIDE, SIDE, prep),
    };
  };
  return {
    kind: 'cifar10',
    description: `CIFAR-10 ${split} (${count(index.length)} images)`,
    classes: classNames(dir),
    classesComplete: true,
    size: index.length,
    item,
    skipped: [],
  };
}
