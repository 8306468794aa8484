export { resumeSweep, runSweep, type SweepEvents, type SweepOptions, type SweepProgress, type SweepResult } from './run-sweep.ts';
export { checkPlanRunners, loadPlanInput } from './load-plan.ts';
export { instructionsOf } from './instructions.ts';
export { onnxAccuracy, onnxFileArtifact } from './onnx-cell.ts';
export { cellEmitter, PROFILE_RUNS } from './emit-cell.ts';
