/**
 * torchvision's ImageFolder: DIR/<class>/**\/<image>, classes = sorted sub-folder names, images found recursively
 * and sorted. With class names (the model's output order) each folder is labelled by its name's index instead, so a
 * subset of ImageNet's synset folders evaluates against the full 1000-class head.
 */
import { basename, join } from 'node:path';
import type { Dataset } from './dataset.ts';
import { count, entries, fileItem, isImage, readClassNames, requireDir } from './files.ts';
import { msg } from './messages.ts';

/** image paths under `dir`, relative to it: directories in sorted path order, like sorted(os.walk(dir)) */
function imagesUnder(dir: string): string[] {
  const found: { rel: string; images: string[] }[] = [];
  const walk = (rel: string): void => {
    const e = entries(join(dir, rel));
    found.push({ rel, images: e.files.filter(isImage) });
    for (const d of e.dirs) walk(rel ? `${rel}/${d}` : d);
  };
  walk('');
  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return found.flatMap(({ rel, images }) => images.map((f) => (rel ? `${rel}/${f}` : f)));
}

export function openImageFolder(dir: string, classNames?: string | readonly string[]): Dataset {
  requireDir(dir, 'dataset directory');
  const folders = entries(dir).dirs;
  if (folders.length === 0) throw msg.noImages(`${dir}/<class>/ (it has no sub-folders)`);
  const names = classNames === undefined ? undefined : readClassNames(classNames);
  if (names) {
    const unknown = folders.filter((f) => !names.index.has(f));
    if (unknown.length > 0) throw msg.foldersNotInClassNames(dir, unknown, names.file);
  }
  const labelOf = (folder: string, i: number): number => (names ? names.index.get(folder)! : i);

  const files: string[] = [];
  const labels: number[] = [];
  const empty: string[] = [];
  folders.forEach((folder, i) => {
    const images = imagesUnder(join(dir, folder));
    if (images.length === 0) empty.push(folder);
    for (const image of images) {
      files.push(`${folder}/${image}`);
      labels.push(labelOf(folder, i));
    }
  });
  if (files.length === 0) throw msg.noImages(`${dir}/<class>/`);
  if (empty.length > 0) throw msg.emptyClasses(dir, empty);

  const classes = names ? names.names : folders;
  const mapped = names ? `, ${folders.length} folders mapped onto ${count(classes.length)} classes` : `, ${classes.length} classes`;
  return {
    kind: 'image-folder',
    description: `${basename(dir)} (ImageFolder, ${count(files.length)} images${mapped})`,
    classes,
    classesComplete: true,
    size: files.length,
    item: (i) => fileItem(dir, files[i], labels[i]),
    skipped: [],
  };
}
