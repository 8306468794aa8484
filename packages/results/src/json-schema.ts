/**
 * JSON Schemas of the files mvbench writes, generated from the zod schemas that read them (so they cannot drift):
 * committed as results/schemas/*.schema.json, which a test checks against these and the committed rows against.
 */
import { z } from 'zod';
import { HISTORY_SCHEMA, HistoryRow } from './history.ts';
import { ResultRow, SCHEMA_VERSION } from './schema.ts';

const describe = (title: string, description: string, schema: z.ZodType) => ({ title, description, ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) });

export const resultJsonSchema = () =>
  describe(SCHEMA_VERSION, 'One line of a mvbench results file (JSONL): one sweep cell. results/README.md defines every column.', ResultRow);

export const historyJsonSchema = () =>
  describe(HISTORY_SCHEMA, 'One line of a regression-check history file (results/history/<plan>.jsonl). results/README.md defines every column.', HistoryRow);
