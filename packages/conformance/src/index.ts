export { OP_CASES, opCaseModel, type OpCase } from './op-cases.ts';
export { CONFORMANCE_RUNNERS, type ConformanceRunner } from './runners.ts';
export { conform, outputsOf, REL_TOLERANCE, type Verdict } from './compare.ts';
