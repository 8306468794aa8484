/** what the cross-package test suites import from the app */
export { main, createProgram } from './main.ts';
export { prepareModel, artifactOf } from './model-artifact.ts';
export { checkParity, readFixture, topK } from './parity.ts';
export { createRunner, runnerIds } from './runners.ts';
