/** Every user-facing message of packages/data, in one place. */
import { userError, type MvbenchError } from '@mvbench/core';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

/** at most `n` entries, then '... (k more)' */
function firstFew(items: readonly string[], n = 5): string {
  const shown = items.slice(0, n).join(', ');
  return items.length > n ? `${shown}, ... (${items.length - n} more)` : shown;
}

const LAYOUTS =
  `Known layouts: ` +
  `image-folder (DIR/<class>/<image>; classes are the sorted sub-folder names, or map through --class-names), ` +
  `imagenet-val (a flat DIR of images plus a labels file: '<file> <label>' lines or Kaggle's LOC_val_solution.csv), ` +
  `cifar10 (DIR with data_batch_1..5.bin and test_batch.bin from cifar-10-binary.tar.gz), ` +
  `synthetic (the word 'synthetic' instead of a directory: generated shapes and textures).`;

export const msg = {
  missing: (what: string, path: string): MvbenchError => userError('FILE_NOT_FOUND', `${what} not found: ${path}`),
  /** the path exists but is the other kind: a file where a directory belongs, or the reverse */
  wrongKind: (what: string, path: string, expected: 'a directory' | 'a file'): MvbenchError =>
    userError('BAD_ARGUMENT', `${what} ${path} is ${expected === 'a directory' ? 'a file' : 'a directory'}; expected ${expected}`),
  unknownLayout: (dir: string, found: string): MvbenchError =>
    userError('BAD_DATASET', `cannot tell the dataset layout of ${dir}: it holds ${found}. ${LAYOUTS}`),
  badLayoutName: (name: string): MvbenchError => userError('BAD_DATASET', `unknown dataset layout '${name}'. ${LAYOUTS}`),
  noImages: (where: string): MvbenchError =>
    userError('BAD_DATASET', `no images in ${where} (looked for ${IMAGE_EXTENSIONS.join(' ')}, any case)`),
  emptyClasses: (dir: string, folders: string[]): MvbenchError =>
    userError('BAD_DATASET', `${dir}: class folders without images (looked for ${IMAGE_EXTENSIONS.join(' ')}): ${firstFew(folders)}`),
  foldersNotInClassNames: (dir: string, folders: string[], file: string): MvbenchError =>
    userError('BAD_DATASET', `${dir}: sub-folders not listed in the class names ${file}: ${firstFew(folders)}`),
  emptyClassNames: (file: string): MvbenchError => userError('BAD_DATASET', `class names ${file} lists no names`),
  badLabelLine: (file: string, line: number, text: string): MvbenchError =>
    userError('BAD_DATASET', `${file}:${line}: expected '<file> <label>', got '${text}'`),
  unknownLabel: (file: string, line: number, label: string, hasNames: boolean): MvbenchError =>
    userError(
      'BAD_DATASET',
      hasNames
        ? `${file}:${line}: label '${label}' is neither an index into the class names nor one of the names`
        : `${file}:${line}: label '${label}' is not an integer; give --class-names to resolve class names`,
    ),
  duplicateLabel: (file: string, line: number, image: string): MvbenchError =>
    userError('BAD_DATASET', `${file}:${line}: a second label for ${image}`),
  unlabelledImages: (dir: string, labels: string, images: string[]): MvbenchError =>
    userError('BAD_DATASET', `${images.length} images in ${dir} have no label in ${labels}: ${firstFew(images)}`),
  labelsWithoutImages: (dir: string, labels: string, names: string[]): MvbenchError =>
    userError('BAD_DATASET', `${names.length} labels in ${labels} name no image in ${dir}: ${firstFew(names)}`),
  cifarSize: (file: string, bytes: number): MvbenchError =>
    userError('BAD_DATASET', `${file}: ${bytes} bytes is not a whole number of 3073-byte CIFAR-10 records (1 label + 32x32x3 pixels)`),
  cifarLabel: (file: string, record: number, label: number): MvbenchError =>
    userError('BAD_DATASET', `${file}: record ${record} has label ${label}; CIFAR-10 labels are 0..9`),
  cifarMissing: (dir: string, split: string, files: string[]): MvbenchError =>
    userError('FILE_NOT_FOUND', `${dir}: the CIFAR-10 ${split} split needs ${files.join(', ')}`),
  cifarMeta: (file: string, n: number): MvbenchError =>
    userError('BAD_DATASET', `${file}: expected 10 class names, found ${n}`),
  labelsBeyondHead: (description: string, classes: number, head: number, labels: string[]): MvbenchError =>
    userError('BAD_DATASET', `${description} has ${classes} classes but the model head has ${head} outputs; labels beyond the head: ${firstFew(labels, 10)}`),
  headMismatch: (description: string, classes: number, head: number, byName: boolean): MvbenchError =>
    userError(
      'BAD_DATASET',
      `${description} has ${classes} classes but the model head has ${head} outputs, so labels would be compared with the wrong outputs; ` +
        (byName
          ? `give the model's class names in output order (one a line, --class-names) to map classes by name, or use a model with ${classes} outputs`
          : `use a model with ${classes} outputs (a proxy head of ${classes} classes)`),
    ),
  badArgument: (text: string): MvbenchError => userError('BAD_ARGUMENT', text),
  undecodable: (file: string, reason: string): MvbenchError => userError('CORRUPT_FILE', `${file}: cannot decode image (${reason})`),
};
