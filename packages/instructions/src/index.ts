export { countInstructions, uncountable, type CountJob, type CountOutcome, type InstructionCount } from './count.ts';
export { valgrindStatus, type ValgrindStatus } from './valgrind.ts';
