/** Whether a spec lies inside a space: a predictor built on a space warns for knob values it never sampled. */
import { knobValues, parseSpec, type ModelSpec } from '@mvbench/dsl';
import type { SearchSpace } from './space.ts';
import { SCALAR_KNOBS, STAGE_KNOBS } from './space.ts';

const range = (xs: readonly number[]) => [Math.min(...xs), Math.max(...xs)] as const;

/**
 * One sentence per knob value of `spec` outside what `space` ranges over: numbers beyond the sampled range (inside
 * it, between options, counts as inside), names not among the options. Empty when the spec is inside.
 */
export function outsideSpace(spec: ModelSpec, space: SearchSpace): string[] {
  const fs = space.families.find((f) => f.family.name === spec.family.name);
  if (!fs) return [`family ${spec.family.name} is not in the space (${space.families.map((f) => f.family.name).join(', ')})`];
  const out: string[] = [];
  const built = knobValues(spec) as unknown as Record<string, string | number | null>;
  // a knob the space leaves out stays at the id's own value
  const own = knobValues(parseSpec(spec.id)) as unknown as Record<string, string | number | null>;
  // in families whose ids are widths (mobilevitv2_075) the id follows from the width, which is checked below
  const idsAreWidths = new Set(Object.keys(spec.family.variants).map((id) => spec.family.widthOf(id))).size > 1;
  if (!idsAreWidths && !fs.ids.includes(spec.id)) out.push(`id ${spec.id} was not sampled (${fs.ids.join(', ')})`);
  for (const k of SCALAR_KNOBS) {
    const opts = fs.scalar[k];
    const v = k === 'patch' ? spec.patch?.join('x') : built[k];
    if (v === null || v === undefined) continue;
    if (!opts) {
      const ownValue = k === 'patch' ? spec.family.patch?.join('x') : own[k];
      if (v !== ownValue) out.push(`${k}=${v} was not varied (the space keeps ${spec.id}'s ${ownValue})`);
      continue;
    }
    if (typeof v === 'number') {
      const [lo, hi] = range(opts as number[]);
      if (v < lo || v > hi) out.push(`${k}=${v} is outside the sampled range ${lo}..${hi}`);
    } else {
      const names = opts.map((o) => (k === 'patch' ? patchText(String(o)) : String(o)));
      if (!names.includes(v)) out.push(`${k}=${v} was not sampled (${opts.join(', ')})`);
    }
  }
  for (const k of STAGE_KNOBS) {
    const stages = fs.stages[k];
    const v = built[k];
    if (typeof v !== 'string') continue;
    if (!stages) {
      if (v !== own[k]) out.push(`${k}=${v} was not varied (the space keeps ${spec.id}'s ${own[k]})`);
      continue;
    }
    v.split('x').map(Number).forEach((x, i) => {
      const [lo, hi] = range(stages[i]);
      if (x < lo || x > hi) out.push(`${k} stage ${i + 1} = ${x} is outside the sampled range ${lo}..${hi}`);
    });
  }
  return out;
}

const patchText = (p: string) => ({ A: '2x2x2', B: '8x4x2' })[p.toUpperCase()] ?? p;
