/** Helpers shared by the file-based layouts: image listing, class-name lists, items backed by image files. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { DatasetItem } from './dataset.ts';
import { IMAGE_EXTENSIONS, msg } from './messages.ts';
import { loadImage } from './preprocess.ts';

export const isImage = (name: string): boolean => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());

export function requireDir(path: string, what: string): void {
  if (!existsSync(path)) throw msg.missing(what, path);
  if (!statSync(path).isDirectory()) throw msg.wrongKind(what, path, 'a directory');
}

export function requireFile(path: string, what: string): string {
  if (!existsSync(path)) throw msg.missing(what, path);
  if (!statSync(path).isFile()) throw msg.wrongKind(what, path, 'a file');
  return readFileSync(path, 'utf8');
}

/** entries of a directory, symlinks followed, names sorted by code unit like Python's sorted() */
export function entries(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const s = e.isSymbolicLink() ? statSync(join(dir, e.name), { throwIfNoEntry: false }) : e;
    if (s?.isDirectory()) dirs.push(e.name);
    else if (s?.isFile()) files.push(e.name);
  }
  return { files: files.sort(), dirs: dirs.sort() };
}

interface ClassNames {
  names: string[];
  /** where they came from, for messages */
  file: string;
  /** a name -> its index */
  index: Map<string, number>;
}

/**
 * A class-name list in the model's output order, one class a line. A line may carry a description after the name
 * ('n01440764 tench, Tinca tinca', as in LOC_synset_mapping.txt): both the whole line and its first word match.
 */
export function readClassNames(source: string | readonly string[]): ClassNames {
  const lines = typeof source === 'string' ? requireFile(source, 'class names file').split(/\r?\n/) : [...source];
  const names = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  const file = typeof source === 'string' ? source : 'the class-name list';
  if (names.length === 0) throw msg.emptyClassNames(file);
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    for (const key of [name, name.split(/\s+/)[0]]) if (!index.has(key)) index.set(key, i);
  });
  return { names, file, index };
}

export function fileItem(root: string, relative: string, label: number): DatasetItem {
  const file = join(root, relative);
  return { id: relative, label, file, load: (prep) => loadImage(file, prep) };
}

export const count = (n: number): string => n.toLocaleString('en-US');
