/**
 * The one cell engine. Its workers (worker.ts, ab-worker.ts, calibration-worker.ts) are child-process entries,
 * started by URL, never imported.
 */
export { probeRunners, RUNNERS, runtimeVersions, type RunnerStatus } from './runners.ts';
export { contextFor, releaseShared } from './shared.ts';
export { runInChild } from './isolate.ts';
export { failure, reportProgress, serveOneJob } from './steps.ts';
export { measureAb, measureCell } from './measure-cell.ts';
export { timeModel } from './time-model.ts';
export type { CellJob, CellOutcome } from './job.ts';
export { makeRow } from './rows.ts';
export type { AbJob } from './ab-job.ts';
export { calibrationNotes, describeCalibration, driftWarning, measureCalibration, shardCalibrationWarnings } from './calibration.ts';
export { makeTempDir, removeStaleTempDirs } from './temp-dirs.ts';
