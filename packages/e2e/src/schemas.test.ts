/**
 * The committed JSON Schemas (results/schemas/) are the ones the zod schemas generate, and what mvbench committed
 * validates against them with a JSON Schema validator of its own (ajv): the result rows in results/*.jsonl and the
 * built-in plans. After an intended schema change: `MVBENCH_UPDATE_GOLDEN=1 pnpm vitest run packages/e2e/src/schemas.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PLANS, planJsonSchema } from '@mvbench/plan';
import { historyJsonSchema, resultJsonSchema } from '@mvbench/results';

const results = fileURLToPath(new URL('../../../results/', import.meta.url));
const generated: Record<string, unknown> = { result: resultJsonSchema(), plan: planJsonSchema(), history: historyJsonSchema() };
const committed = (name: string) => JSON.parse(readFileSync(join(results, 'schemas', `${name}.schema.json`), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });

describe('JSON Schemas', () => {
  it.each(Object.keys(generated))('results/schemas/%s.schema.json is the generated schema', (name) => {
    if (process.env.MVBENCH_UPDATE_GOLDEN) writeFileSync(join(results, 'schemas', `${name}.schema.json`), JSON.stringify(generated[name], null, 2) + '\n');
    expect(committed(name), `regenerate with: mvbench schema ${name} -o results/schemas/${name}.schema.json`).toEqual(generated[name]);
  });

  it('every committed result row validates', () => {
    const validate = ajv.compile(committed('result'));
    const files = readdirSync(results).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      readFileSync(join(results, file), 'utf8').trim().split('\n').forEach((line, i) => {
        expect(validate(JSON.parse(line)), `${file}:${i + 1}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      });
  });

  it('every built-in plan validates; a typo in a field does not', () => {
    const validate = ajv.compile(committed('plan'));
    for (const [name, plan] of Object.entries(PLANS)) expect(validate(plan), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    expect(validate({ name: 'x', models: ['mobilevit_xxs'], runners: [{ runner: 'ort-node:cpu' }], measure: { budgetMS: 100 } })).toBe(false);
    expect(validate({ name: 'x', models: ['mobilevit_xxs'], runners: [{ runner: 'ort-node:cpu' }], accuracy: 'proxy' })).toBe(true);
  });
});
