export * from './decide.ts';
// the history schema lives with the other results files
export { HistoryRow, HISTORY_SCHEMA, changePoints, type ChangePoint } from '@mvbench/results';
