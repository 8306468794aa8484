/** Seeded random candidates of a space: a family, an id, then each knob's option, uniformly. */
import { isUserError, mulberry32, userError } from '@mvbench/core';
import { buildModel, parseSpec, withKnobs, type KnobSetting, type ModelSpec } from '@mvbench/dsl';
import { SCALAR_KNOBS, STAGE_KNOBS, type FamilySpace, type SearchSpace } from './space.ts';

/** a candidate's choices: which id, and a value per knob the family space ranges over */
export interface Choice {
  family: FamilySpace;
  id: string;
  knobs: KnobSetting;
}

export const specOf = (c: Choice): ModelSpec => withKnobs(parseSpec(c.id), c.knobs);

/** false when the model cannot be built (a patch that does not tile a feature map at that resolution) */
export function buildable(spec: ModelSpec): boolean {
  try {
    buildModel(spec);
    return true;
  } catch (e) {
    if (isUserError(e)) return false;
    throw e;
  }
}

export function randomChoice(fs: FamilySpace, rand: () => number): Choice {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const knobs: KnobSetting = {};
  for (const k of SCALAR_KNOBS) if (fs.scalar[k]) knobs[k] = pick(fs.scalar[k]!);
  for (const k of STAGE_KNOBS) if (fs.stages[k]) knobs[k] = fs.stages[k]!.map(pick);
  return { family: fs, id: pick(fs.ids), knobs };
}

/**
 * `n` distinct buildable specs drawn from the space with `seed`, families taking turns so that each gets its share.
 * Throws when a family yields no buildable spec in many draws (a space whose patches tile none of its resolutions).
 */
export function sampleSpecs(space: SearchSpace, n: number, seed: number): ModelSpec[] {
  const rand = mulberry32(seed);
  const out: ModelSpec[] = [];
  const seen = new Set<string>();
  for (let i = 0, misses = 0; out.length < n; i++) {
    const fs = space.families[i % space.families.length];
    const spec = specOf(randomChoice(fs, rand));
    if (!seen.has(spec.spec) && buildable(spec)) {
      seen.add(spec.spec);
      out.push(spec);
      misses = 0;
    } else if (++misses > 200 * space.families.length) {
      throw userError('BAD_SPACE', `the search space yields no new buildable model after ${misses} draws (${out.length} of ${n} found): widen it, or check that its patches tile its resolutions`);
    }
  }
  return out;
}
