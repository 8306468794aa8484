export { batches, checkClasses } from './dataset.ts';
export type { Batch, BatchOptions, Dataset, DatasetItem, DatasetKind, Skipped } from './dataset.ts';
export { openDataset } from './open-dataset.ts';
export type { OpenOptions } from './open-dataset.ts';
export { SYNTHETIC_CLASSES } from './synthetic.ts';
export type { SyntheticOptions } from './synthetic.ts';
export { decodeImage, fromPixels, geometry, loadImage, preprocessingFamilies, preprocessingFor } from './preprocess.ts';
export type { DecodedImage, Geometry, Interpolation, Preprocessing, Rgb } from './preprocess.ts';
