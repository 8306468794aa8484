/**
 * Numerical parity against a reference fixture: same weights, the fixture's input recipe, logits compared with
 * max |diff| <= tolerance and identical top-5. Used by `mvbench parity` and by the tests.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { userError } from '@mvbench/core';
import { fixtureInput, type Runner } from '@mvbench/runner-core';
import { prepareModel } from './model-artifact.ts';

const Fixture = z.object({
  model: z.string(),
  input: z.object({
    name: z.string(),
    shape: z.array(z.number().int()).length(4),
    recipe: z.object({ s0: z.number().int() }),
    digest: z.object({ first8: z.array(z.number()).min(1), sum: z.number() }),
  }),
  expected: z.object({ logits: z.array(z.number()).min(1), top5_indices: z.array(z.number().int()).length(5) }),
  tolerance_hint: z.object({ pass_abs: z.number().positive() }).optional(),
});
export type Fixture = z.infer<typeof Fixture>;

export function readFixture(file: string): Fixture {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw userError('BAD_FIXTURE', `cannot read fixture ${file}: ${(e as Error).message}`);
  }
  const parsed = Fixture.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw userError('BAD_FIXTURE', `fixture ${file} is not a parity record: ${issues}`);
  }
  return parsed.data;
}

export const topK = (x: ArrayLike<number>, k: number): number[] =>
  Array.from({ length: x.length }, (_, i) => i)
    .sort((a, b) => x[b] - x[a] || a - b)
    .slice(0, k);

export interface ParityResult {
  spec: string;
  runner: string;
  maxAbsDiff: number;
  tolerance: number;
  maxAbsExpected: number;
  top5: number[];
  expectedTop5: number[];
  top5Match: boolean;
  pass: boolean;
}

export async function checkParity(
  spec: string,
  opts: { weights: string; fixture: Fixture; runner: Runner; threads?: number },
): Promise<ParityResult> {
  const { fixture, runner } = opts;
  const [, , h, w] = fixture.input.shape;
  const model = prepareModel(spec, { weights: opts.weights });
  if (model.built && model.built.spec.id !== fixture.model)
    throw userError('BAD_FIXTURE', `the fixture is for model '${fixture.model}', not '${model.built.spec.id}': give ${fixture.model}'s fixture (or check ${fixture.model})`);
  const declared = model.artifact.inputs[0].shape;
  if (declared[2] !== h || declared[3] !== w)
    throw userError(
      'BAD_ARGUMENT',
      `${model.artifact.id} takes ${declared.join('x')} but the fixture's input is ${fixture.input.shape.join('x')}; ` +
        `add ':resolution=${h}' to the spec`,
    );
  const input = fixtureInput(fixture.input.shape, fixture.input.recipe.s0);
  if (fixture.input.digest.first8.some((v, i) => Math.fround(v) !== input[i]))
    throw userError('BAD_FIXTURE', `the regenerated input does not match the fixture's digest (first8); is the recipe an LCG with s0?`);
  const expected = fixture.expected.logits;
  const support = runner.supports(model.artifact);
  if (!support.ok) throw userError(support.unavailable ? 'RUNNER_UNAVAILABLE' : 'UNSUPPORTED_OP', `${runner.id} cannot run ${model.artifact.id}: ${support.reason}`);
  const prepared = await runner.prepare(model.artifact, { threads: opts.threads ?? 1 });
  try {
    const out = await runner.run(prepared, { [model.artifact.inputs[0].name]: input });
    const logits = out[model.artifact.outputs[0].name].data;
    if (logits.length !== expected.length)
      throw userError('BAD_FIXTURE', `the model gives ${logits.length} logits, the fixture expects ${expected.length}`);
    let maxAbsDiff = 0, maxAbsExpected = 0;
    for (let i = 0; i < expected.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(logits[i] - expected[i]));
      maxAbsExpected = Math.max(maxAbsExpected, Math.abs(expected[i]));
    }
    if (Number.isNaN(logits.reduce((a, b) => a + b, 0))) maxAbsDiff = Number.POSITIVE_INFINITY;
    const tolerance = fixture.tolerance_hint?.pass_abs ?? 1e-4 * maxAbsExpected;
    const top5 = topK(logits, 5);
    const top5Match = top5.join() === fixture.expected.top5_indices.join();
    return {
      spec: model.artifact.id,
      runner: runner.id,
      maxAbsDiff,
      tolerance,
      maxAbsExpected,
      top5,
      expectedTop5: fixture.expected.top5_indices,
      top5Match,
      pass: maxAbsDiff <= tolerance && top5Match,
    };
  } finally {
    await runner.dispose(prepared);
  }
}
