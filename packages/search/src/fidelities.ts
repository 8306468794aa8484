/** successive halving's rungs as JSON, cheapest first (`--fidelities`: a smaller proxy task for a quick search or a test) */
import { z } from 'zod';
import { userError } from '@mvbench/core';
import type { Fidelity } from './accuracy.ts';

const Fidelities = z
  .array(
    z.strictObject({
      resolution: z.number().int().min(32).max(512),
      epochs: z.number().int().min(1).max(1000),
      trainImages: z.number().int().min(1),
      batch: z.number().int().min(2).max(512),
    }),
  )
  .min(1)
  .max(8);

/** `flag`: the option that gave `text`, for the messages */
export function parseFidelities(text: string, flag = '--fidelities'): Fidelity[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw userError('BAD_ARGUMENT', `${flag}: not JSON; expected e.g. '[{"resolution":64,"epochs":1,"trainImages":512,"batch":16},{"resolution":64,"epochs":1,"trainImages":1024,"batch":16}]'`);
  }
  const r = Fidelities.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(list)'}: ${i.message}`).join('; ');
  throw userError('BAD_ARGUMENT', `${flag}: ${issues} (1-8 rungs of resolution 32-512, epochs >= 1, trainImages >= 1, batch 2-512)`);
}
