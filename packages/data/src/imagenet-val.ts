/**
 * ImageNet validation as distributed: a flat directory of images plus a labels file, either
 *   '<file> <label>' lines (whitespace or comma separated; label an integer, or a class name resolved through the
 *   class names), e.g. Caffe's val.txt 'ILSVRC2012_val_00000001.JPEG 65'; or
 *   Kaggle's LOC_val_solution.csv: header 'ImageId,PredictionString', ImageId without extension, the first word
 *   of PredictionString the synset ('ILSVRC2012_val_00008726,n02119789 255 142 454 329 ...').
 */
import { basename, extname } from 'node:path';
import type { Dataset } from './dataset.ts';
import { count, entries, fileItem, isImage, readClassNames, requireDir, requireFile } from './files.ts';
import { msg } from './messages.ts';

export function openImageNetVal(dir: string, labelsFile: string, classNames?: string | readonly string[]): Dataset {
  requireDir(dir, 'dataset directory');
  const text = requireFile(labelsFile, 'labels file');
  const images = entries(dir).files.filter(isImage);
  if (images.length === 0) throw msg.noImages(dir);
  const names = classNames === undefined ? undefined : readClassNames(classNames);

  // a label names its image with or without the extension
  const byName = new Map<string, string>();
  for (const image of images) byName.set(image, image);
  for (const image of images) {
    const stem = basename(image, extname(image));
    if (!byName.has(stem)) byName.set(stem, image);
  }

  const resolve = (token: string, line: number): number => {
    const index = /^\d+$/.test(token) ? Number(token) : names?.index.get(token);
    if (index === undefined || (names && index >= names.names.length)) throw msg.unknownLabel(labelsFile, line, token, names !== undefined);
    return index;
  };

  const lines = text.split(/\r?\n/);
  const kaggle = /^\s*ImageId\s*,\s*PredictionString/i.test(lines[0]);
  const labelOf = new Map<string, number>();
  const unmatched: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || (kaggle && i === 0)) return;
    const [name, label] = kaggle
      ? [line.slice(0, line.indexOf(',')).trim(), line.slice(line.indexOf(',') + 1).trim().split(/\s+/)[0]]
      : line.split(/[\s,]+/);
    if (!name || !label) throw msg.badLabelLine(labelsFile, i + 1, line);
    const image = byName.get(name);
    if (image === undefined) {
      unmatched.push(name);
      return;
    }
    if (labelOf.has(image)) throw msg.duplicateLabel(labelsFile, i + 1, image);
    labelOf.set(image, resolve(label, i + 1));
  });
  if (unmatched.length > 0) throw msg.labelsWithoutImages(dir, labelsFile, unmatched);
  const unlabelled = images.filter((image) => !labelOf.has(image));
  if (unlabelled.length > 0) throw msg.unlabelledImages(dir, labelsFile, unlabelled);

  const labels = images.map((image) => labelOf.get(image)!);
  const classes = names ? names.names : Array.from({ length: labels.reduce((a, b) => Math.max(a, b), 0) + 1 }, (_, i) => String(i));
  return {
    kind: 'imagenet-val',
    description: `${basename(dir)} (flat images labelled by ${basename(labelsFile)}, ${count(images.length)} images)`,
    classes,
    classesComplete: names !== undefined,
    size: images.length,
    item: (i) => fileItem(dir, images[i], labels[i]),
    skipped: [],
  };
}
