export { compareSides, readSide, type CellComparison, type Comparison, type CompareVerdict } from './compare.ts';
export { comparisonMarkdown } from './markdown.ts';
