/** helpers shared by the report's tests */
import type { ResultRow } from '@mvbench/results';
import type { ReportMeta } from './html.ts';

export const META: ReportMeta = { title: 'mvbench report: golden', plan: 'golden', generatedAt: '2025-11-21T12:00:00.000Z', notes: ['synthetic rows for tests'] };

/** a copy of `rows` with changes applied to each */
export const edit = (rows: readonly ResultRow[], f: (r: ResultRow) => Partial<ResultRow>): ResultRow[] => rows.map((r) => ({ ...r, ...f(r) }));
