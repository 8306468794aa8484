/** Flat CSV of result rows for notebooks: one column per scalar field, nested fields joined with dots. */
import { matmulEquivalentGflop } from './calibration.ts';
import type { ResultRow } from './schema.ts';

const COLUMNS: [string, (r: ResultRow) => unknown][] = [
  ['sweep', (r) => r.sweep], ['plan', (r) => r.plan], ['cell', (r) => r.cell], ['spec', (r) => r.spec], ['id', (r) => r.id],
  ['family', (r) => r.family], ['canonical', (r) => r.canonical], ['width', (r) => r.knobs?.width], ['patch', (r) => r.knobs?.patch],
  ['attention', (r) => r.knobs?.attention], ['resolution', (r) => r.knobs?.resolution], ['depth', (r) => r.knobs?.depth], ['ffn', (r) => r.knobs?.ffn],
  ['expand', (r) => r.knobs?.expand], ['dims', (r) => r.knobs?.dims], ['onnx.sha256', (r) => r.onnx?.sha256], ['params', (r) => r.params], ['macs', (r) => r.macs],
  ['accuracy.kind', (r) => r.accuracy.kind], ['accuracy.value', (r) => r.accuracy.value], ['accuracy.dataset', (r) => r.accuracy.dataset],
  ['accuracy.source', (r) => r.accuracy.source], ['runner', (r) => r.runner], ['threads', (r) => r.threads], ['threadsUsed', (r) => r.threadsUsed],
  ['graphOptimization', (r) => r.graphOptimization], ['latency.n', (r) => r.latency?.n], ['latency.median', (r) => r.latency?.median],
  ['latency.ciLow', (r) => r.latency?.ciLow], ['latency.ciHigh', (r) => r.latency?.ciHigh], ['latency.p10', (r) => r.latency?.p10],
  ['latency.p90', (r) => r.latency?.p90], ['latency.mean', (r) => r.latency?.mean], ['latency.stdev', (r) => r.latency?.stdev],
  ['latency.min', (r) => r.latency?.min], ['latency.max', (r) => r.latency?.max], ['latency.ciCoverage', (r) => r.latency?.ciCoverage],
  ['converged', (r) => r.converged], ['load.otherCores', (r) => r.load?.otherCores], ['load.contended', (r) => r.load?.contended],
  ['sessionCreateMs', (r) => r.sessionCreateMs], ['firstRunMs', (r) => r.firstRunMs], ['peakRssMb', (r) => r.peakRssMb],
  ['env.cpuModel', (r) => r.env?.cpuModel], ['env.cores', (r) => r.env?.cores], ['env.commit', (r) => r.env?.commit],
  ['env.calibration.matmulGflops1', (r) => r.env?.calibration?.matmulGflops1], ['env.calibration.matmulGflops2', (r) => r.env?.calibration?.matmulGflops2],
  ['env.calibration.memoryGBps', (r) => r.env?.calibration?.memoryGBps], ['matmulEquivalentGflop', matmulEquivalentGflop],
  ['predicted.ms', (r) => r.predicted?.ms], ['predicted.predictor', (r) => r.predicted?.predictor],
  ['startedAt', (r) => r.startedAt], ['durationS', (r) => r.durationS], ['error.code', (r) => r.error?.code], ['error.message', (r) => r.error?.message],
];

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const CSV_COLUMNS = COLUMNS.map(([name]) => name);

export function toCsv(rows: readonly ResultRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => COLUMNS.map(([, get]) => cell(get(r))).join(','))].join('\n') + '\n';
}
