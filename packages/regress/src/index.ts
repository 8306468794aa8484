export * from './decide.ts';
// the check itself: worktree, base emit, interleaved A/B through the cell engine, confirmation, history rows
export { METRICS, metricsAvailable, runRegress, type Metric, type ModelResult, type RegressOptions } from './run-regress.ts';
export { assertClean, defaultBase, git, resolveRev } from './git.ts';
export { regressMarkdown } from './markdown.ts';
// the history schema lives with the other results files
export { HistoryRow, HISTORY_SCHEMA, changePoints, type ChangePoint } from '@mvbench/results';
export { compareInstructions, INSTRUCTION_THRESHOLD, type InstructionComparison, type InstructionVerdict } from './decide-instructions.ts';
