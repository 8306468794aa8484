/** `openDataset`: picks the layout (given, or told by the directory's contents) and opens it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CIFAR_FILES, openCifar10 } from './cifar.ts';
import type { Dataset, DatasetKind } from './dataset.ts';
import { entries, isImage, requireDir } from './files.ts';
import { openImageFolder } from './image-folder.ts';
import { openImageNetVal } from './imagenet-val.ts';
import { msg } from './messages.ts';
import { openSynthetic, type SyntheticOptions } from './synthetic.ts';

export interface OpenOptions {
  /** skip detection */
  layout?: DatasetKind;
  /** imagenet-val: the labels file (default DIR/labels.txt or DIR/LOC_val_solution.csv when present) */
  labels?: string;
  /** image-folder and imagenet-val: the model's class names in output order, a file (one a line) or a list */
  classNames?: string | readonly string[];
  /** cifar10 and synthetic (default 'test') */
  split?: 'train' | 'test';
  synthetic?: Omit<SyntheticOptions, 'split'>;
}

const KINDS: readonly DatasetKind[] = ['image-folder', 'imagenet-val', 'cifar10', 'synthetic'];
const LABEL_FILES = ['labels.txt', 'LOC_val_solution.csv'];
/** the directory cifar-10-binary.tar.gz unpacks to */
const CIFAR_SUBDIR = 'cifar-10-batches-bin';

const hasCifar = (dir: string): boolean => [...CIFAR_FILES.train, ...CIFAR_FILES.test].some((f) => existsSync(join(dir, f)));

function detect(dir: string, opts: OpenOptions): DatasetKind {
  requireDir(dir, 'dataset directory');
  if (hasCifar(dir) || hasCifar(join(dir, CIFAR_SUBDIR))) return 'cifar10';
  if (opts.labels !== undefined) return 'imagenet-val';
  const { files, dirs } = entries(dir);
  if (files.some((f) => LABEL_FILES.includes(f))) return 'imagenet-val';
  if (dirs.length > 0) return 'image-folder';
  const images = files.filter(isImage).length;
  if (images === 0) throw msg.noImages(dir);
  throw msg.unknownLayout(dir, `${images} images and no labels file (flat images need --labels FILE, or a ${LABEL_FILES.join(' or ')} beside them)`);
}

export async function openDataset(source: string, opts: OpenOptions = {}): Promise<Dataset> {
  if (opts.layout !== undefined && !KINDS.includes(opts.layout)) throw msg.badLayoutName(opts.layout);
  const layout = opts.layout ?? (source === 'synthetic' ? 'synthetic' : detect(source, opts));
  switch (layout) {
    case 'synthetic':
      return openSynthetic({ ...opts.synthetic, split: opts.split });
    case 'cifar10':
      return openCifar10(hasCifar(source) ? source : join(source, CIFAR_SUBDIR), opts.split ?? 'test');
    case 'imagenet-val': {
      const found = LABEL_FILES.map((f) => join(source, f)).find((f) => existsSync(f));
      return openImageNetVal(source, opts.labels ?? found ?? join(source, LABEL_FILES[0]), opts.classNames);
    }
    case 'image-folder':
      return openImageFolder(source, opts.classNames);
  }
}
