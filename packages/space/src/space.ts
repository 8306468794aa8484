/**
 * The search space: per family, the base ids and, per knob, the values a search or a predictor build ranges over.
 * Knobs a family entry leaves out stay at each id's own value. Per-stage knobs (depth, dims) list the options of
 * each stage. Every value is checked by the DSL's own knob parser, so a space accepts exactly what a spec would.
 */
import { readFileSync } from 'node:fs';
import { userError } from '@mvbench/core';
import { FAMILIES, knobsOf, parseSpec, withKnobs, type AnyFamily, type KnobName } from '@mvbench/dsl';
import { z } from 'zod';

/** the knobs a space may range over: per family, those `knobsOf` allows */
export type ScalarKnob = 'width' | 'patch' | 'attention' | 'resolution' | 'ffn' | 'expand';
export type StageKnob = 'depth' | 'dims';
export const SCALAR_KNOBS: readonly ScalarKnob[] = ['width', 'patch', 'attention', 'resolution', 'ffn', 'expand'];
export const STAGE_KNOBS: readonly StageKnob[] = ['depth', 'dims'];

export interface FamilySpace {
  family: AnyFamily;
  /** canonical ids a candidate starts from (its knobs then change it) */
  ids: readonly string[];
  scalar: Partial<Record<ScalarKnob, readonly (string | number)[]>>;
  /** per stage, the options of that stage */
  stages: Partial<Record<StageKnob, readonly (readonly number[])[]>>;
}

export interface SearchSpace {
  families: readonly FamilySpace[];
}

const RESOLUTIONS = [160, 192, 224, 256];
const ATTENTION = (f: AnyFamily) => [...f.attention];

/**
 * The default space: the papers' design axes around their smaller (mobile) variants. Ranges keep every candidate
 * within a few times the canonical models' cost, so a predictor can be built and a search can run on a laptop.
 */
const DEFAULTS: Record<string, (f: AnyFamily) => Omit<FamilySpace, 'family'>> = {
  mobilevit: (f) => ({
    ids: ['mobilevit_xxs', 'mobilevit_xs'],
    scalar: { width: [0.75, 1, 1.25], patch: ['A', 'B'], attention: ATTENTION(f), resolution: RESOLUTIONS, ffn: [1.5, 2, 3, 4], expand: [2, 3, 4] },
    stages: { depth: [[1, 2, 3], [2, 3, 4, 5], [1, 2, 3, 4]], dims: [[48, 64, 80, 96], [64, 80, 96, 120], [80, 96, 120, 144]] },
  }),
  mobilevitv2: (f) => ({
    ids: ['mobilevitv2_050'],
    scalar: { width: [0.5, 0.625, 0.75, 0.875, 1], patch: ['A', 'B'], attention: ATTENTION(f), resolution: RESOLUTIONS, ffn: [1.5, 2, 3], expand: [2, 3, 4] },
    stages: { depth: [[1, 2, 3], [2, 3, 4, 5], [1, 2, 3, 4]] },
  }),
  swiftformer: (f) => ({
    ids: ['swiftformer_xs', 'swiftformer_s'],
    scalar: { width: [0.75, 1, 1.25], attention: ATTENTION(f), resolution: RESOLUTIONS, ffn: [2, 3, 4], expand: [2, 3, 4] },
    stages: { depth: [[2, 3, 4], [2, 3, 4], [4, 6, 9], [3, 4, 6]] },
  }),
  mobilenetv2: () => ({
    ids: ['mobilenetv2_050'],
    scalar: { width: [0.5, 0.75, 1, 1.4], resolution: RESOLUTIONS, expand: [3, 4, 6] },
    stages: { depth: [[1], [1, 2, 3], [2, 3, 4], [2, 3, 4, 5], [2, 3, 4], [2, 3, 4], [1, 2]] },
  }),
};

const familyNamed = (name: string): AnyFamily => {
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) throw userError('BAD_SPACE', `unknown family '${name}' in the search space; families: ${FAMILIES.map((x) => x.name).join(', ')}`);
  return f;
};

/** the default space of the named families (all four when none are named) */
export function defaultSpace(families: readonly string[] = FAMILIES.map((f) => f.name)): SearchSpace {
  return { families: families.map((name) => checkFamily({ family: familyNamed(name), ...DEFAULTS[name](familyNamed(name)) }, name)) };
}

const familyEntry = z.strictObject({
  ids: z.array(z.string()).min(1).optional(),
  width: z.array(z.number()).min(1).optional(),
  patch: z.array(z.string()).min(1).optional(),
  attention: z.array(z.string()).min(1).optional(),
  resolution: z.array(z.number()).min(1).optional(),
  ffn: z.array(z.number()).min(1).optional(),
  expand: z.array(z.number()).min(1).optional(),
  depth: z.array(z.array(z.number()).min(1)).min(1).optional(),
  dims: z.array(z.array(z.number()).min(1)).min(1).optional(),
});
const spaceFile = z.record(z.string(), familyEntry);
export type SpaceFile = z.infer<typeof spaceFile>;

/**
 * A space from a file's data: `{ "<family>": { knob: [options], depth: [[stage 1 options], ...] } }`. Each family
 * entry narrows (or widens) that family's default space: a knob it names takes the options given, one option fixes
 * it; families not named are not searched.
 */
export function parseSpace(data: unknown, source: string): SearchSpace {
  const parsed = spaceFile.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(space)'}: ${i.message}`).join('\n');
    throw userError('BAD_SPACE', `invalid search space ${source}:\n${issues}`);
  }
  const names = Object.keys(parsed.data);
  if (!names.length) throw userError('BAD_SPACE', `invalid search space ${source}: it names no family (${FAMILIES.map((f) => f.name).join(', ')})`);
  return {
    families: names.map((name) => {
      const base = defaultSpace([name]).families[0];
      const entry = parsed.data[name];
      const { ids, depth, dims, ...scalar } = entry;
      const fs: FamilySpace = {
        family: base.family,
        ids: ids ?? base.ids,
        scalar: { ...base.scalar, ...scalar },
        stages: { ...base.stages, ...(depth && { depth }), ...(dims && { dims }) },
      };
      return checkFamily(fs, `${source}: ${name}`);
    }),
  };
}

/** every id and option checked as a spec's knob would be; the message names the family, knob and value */
function checkFamily(fs: FamilySpace, where: string): FamilySpace {
  const f = fs.family;
  const allowed = knobsOf(f);
  for (const id of fs.ids)
    if (!(id in f.variants)) throw userError('BAD_SPACE', `${where}: ids: '${id}' is not a ${f.name} model (${Object.keys(f.variants).join(', ')})`);
  const base = parseSpec(fs.ids[0]);
  const check = (knob: KnobName, value: string | number | readonly number[], label: string) => {
    if (!allowed.includes(knob)) throw userError('BAD_SPACE', `${where}: ${knob} does not apply to ${f.name} (its knobs: ${allowed.join(', ')})`);
    try {
      withKnobs(base, { [knob]: value });
    } catch (e) {
      throw userError('BAD_SPACE', `${where}: ${label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const knob of SCALAR_KNOBS) for (const v of fs.scalar[knob] ?? []) check(knob, v, `${knob} option ${v}`);
  for (const knob of STAGE_KNOBS) {
    const stages = fs.stages[knob];
    if (!stages) continue;
    const n = f.structure[knob]?.of(f.variants[fs.ids[0]]).length;
    if (n !== undefined && stages.length !== n)
      throw userError('BAD_SPACE', `${where}: ${knob} lists ${stages.length} stages; ${f.name} has ${n} (one list of options per stage)`);
    // each stage's options are checked in a list of that stage's option and the first option of the others
    stages.forEach((opts, i) => opts.forEach((v) => check(knob, stages.map((s, j) => (j === i ? v : s[0])), `${knob} stage ${i + 1} option ${v}`)));
  }
  return fs;
}

/** a space as the data of a space file (what a predictor stores of the space it was built on) */
export function spaceToFile(space: SearchSpace): SpaceFile {
  return Object.fromEntries(
    space.families.map((fs) => [fs.family.name, { ids: [...fs.ids], ...fs.scalar, ...fs.stages } as SpaceFile[string]]),
  );
}

/** how many distinct knob settings a family space holds (before invalid combinations are removed) */
export function spaceSize(space: SearchSpace): number {
  return space.families.reduce((sum, fs) => {
    let n = fs.ids.length;
    for (const opts of Object.values(fs.scalar)) n *= opts.length;
    for (const stages of Object.values(fs.stages)) for (const s of stages) n *= s.length;
    return sum + n;
  }, 0);
}

/** `--space`: a JSON space file, or family names (`mobilevitv2,swiftformer`) for their default spaces */
export function loadSpace(arg: string): SearchSpace {
  if (!arg.endsWith('.json')) {
    const names = arg.split(',').map((s) => s.trim()).filter(Boolean);
    if (!names.length) throw userError('BAD_SPACE', `search space '${arg}' names no family: give family names (${FAMILIES.map((f) => f.name).join(', ')}) or a .json space file`);
    return defaultSpace(names);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(arg, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw userError('BAD_SPACE', `search space ${arg}: ${why}`);
  }
  return parseSpace(data, arg);
}
