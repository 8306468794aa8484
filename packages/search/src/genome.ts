/**
 * Variation over a space's discrete options. A genome is a space `Choice` (family, id, one option per knob, per
 * stage for depth/dims); genes are the family (when the space has more than one), the id, each scalar knob and each
 * stage of a stage knob.
 */
import type { KnobSetting } from '@mvbench/dsl';
import { randomChoice, SCALAR_KNOBS, STAGE_KNOBS, type Choice, type FamilySpace, type SearchSpace } from '@mvbench/space';

type Rand = () => number;
const pick = <T>(xs: readonly T[], rand: Rand): T => xs[Math.floor(rand() * xs.length)];
/** another option than `current` when there is one */
const other = <T>(xs: readonly T[], current: T, rand: Rand): T => {
  const rest = xs.filter((x) => x !== current);
  return rest.length ? pick(rest, rand) : current;
};

/**
 * Each gene with more than one option changes with probability 1/genes (at least one changes) to another option.
 * A changed family gene gives a random candidate of another family that keeps the scalar knobs both families
 * offer the value of: without it, a family that generation 0 drew few good candidates of would be lost for good.
 */
export function mutate(c: Choice, space: SearchSpace, rand: Rand): Choice {
  const fs = c.family;
  const others = space.families.filter((f) => f !== fs);
  const scalar = SCALAR_KNOBS.filter((k) => (fs.scalar[k]?.length ?? 0) > 1);
  const stages = STAGE_KNOBS.flatMap((k) => (fs.stages[k] ?? []).map((opts, i) => [k, i] as const).filter(([, i]) => fs.stages[k]![i].length > 1));
  const genes = (others.length ? 1 : 0) + (fs.ids.length > 1 ? 1 : 0) + scalar.length + stages.length;
  if (!genes) return c;
  for (;;) {
    let changed = false;
    const flip = () => rand() < 1 / genes && (changed = true);
    if (others.length && flip()) return switchFamily(c, pick(others, rand), rand);
    const id = fs.ids.length > 1 && flip() ? other(fs.ids, c.id, rand) : c.id;
    const knobs: KnobSetting = { ...c.knobs };
    for (const k of scalar) if (flip()) knobs[k] = other(fs.scalar[k]!, knobs[k] as string | number, rand);
    for (const k of STAGE_KNOBS) if (knobs[k]) knobs[k] = [...(knobs[k] as readonly number[])];
    for (const [k, i] of stages) if (flip()) (knobs[k] as number[])[i] = other(fs.stages[k]![i], (knobs[k] as number[])[i], rand);
    if (changed) return { family: fs, id, knobs };
  }
}

/** a random candidate of `to`, with `c`'s value of each scalar knob that `to` offers it for */
function switchFamily(c: Choice, to: FamilySpace, rand: Rand): Choice {
  const drawn = randomChoice(to, rand);
  const knobs: KnobSetting = { ...drawn.knobs };
  for (const k of SCALAR_KNOBS) if (to.scalar[k]?.includes(c.knobs[k] as string | number)) knobs[k] = c.knobs[k];
  return { ...drawn, knobs };
}

/** uniform crossover of two parents of one family; parents of two families give a copy of either */
export function crossover(a: Choice, b: Choice, rand: Rand): Choice {
  if (a.family !== b.family) return rand() < 0.5 ? a : b;
  const either = <T>(x: T, y: T) => (rand() < 0.5 ? x : y);
  const knobs: KnobSetting = {};
  for (const k of SCALAR_KNOBS) if (a.knobs[k] !== undefined) knobs[k] = either(a.knobs[k], b.knobs[k]);
  for (const k of STAGE_KNOBS) {
    const x = a.knobs[k] as readonly number[] | undefined, y = b.knobs[k] as readonly number[] | undefined;
    if (x && y) knobs[k] = x.map((v, i) => either(v, y[i]));
  }
  return { family: a.family, id: either(a.id, b.id), knobs };
}

/** a random candidate: a family uniformly, then its options */
export const randomGenome = (space: SearchSpace, rand: Rand): Choice => randomChoice(pick(space.families, rand), rand);
