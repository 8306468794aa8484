/** The JSON Schema of a plan file, generated from PlanSchema (the input form: fields with defaults may be left out). */
import { z } from 'zod';
import { PlanSchema } from './plan.ts';

export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { oneOf?: { properties: { kind: { const: string } } }[] }> };
  // `accuracy` also takes a kind's name alone ('proxy' = { kind: 'proxy' }), a preprocess step JSON Schema cannot see
  const accuracy = schema.properties.accuracy;
  const kinds = (accuracy.oneOf ?? []).map((o) => o.properties.kind.const);
  schema.properties.accuracy = { anyOf: [{ type: 'string', enum: kinds }, accuracy] } as never;
  return { title: 'mvbench plan', description: 'A sweep plan file (JSON; a .ts file exports the same object). README, Sweeps; packages/plan/src/plan.ts.', ...schema };
}
