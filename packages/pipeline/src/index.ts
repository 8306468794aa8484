export { prepareModel, artifactOf, type PreparedModel, type PrepareOptions } from './model-artifact.ts';
export { checkParity, readFixture, topK, type Fixture, type ParityResult } from './parity.ts';
export { injectSlowdown } from './inject.ts';
export { calibrationArtifact } from './calibration.ts';
