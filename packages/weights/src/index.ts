export { readSafetensors, readSafetensorsFile, writeSafetensors } from './safetensors.ts';
export type { SafeTensor, SafetensorsFile, TensorToWrite } from './safetensors.ts';
export { exportCheckpoint, loadCheckpoint, WeightsMismatchError } from './checkpoint.ts';
export type {
  CheckpointEntry,
  CheckpointSource,
  CheckpointTensor,
  LoadCheckpointOptions,
  ShapeMismatch,
  WeightsProblems,
} from './checkpoint.ts';
