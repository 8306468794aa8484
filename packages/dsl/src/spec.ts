/**
 * Model specs: `<id>[:key=value,...]`. A canonical id is a paper's model exactly; each knob changes only what it
 * names. `normalise` drops knobs equal to the id's defaults, so equal models have equal spec strings.
 * The structure knobs (depth, ffn, expand, dims: the papers' design axes) apply where a family declares them
 * (`Family.structure`); they are applied after the width, so a value given is the value built.
 */
import { ATTENTION_KINDS, type AttentionKind } from './attention.ts';
import type { AnyFamily, RowKnob } from './family.ts';
import { checkNumber, type NumberRule } from '@mvbench/core';
import { msg } from './messages.ts';

export const STRUCTURE_KNOBS = ['depth', 'ffn', 'expand', 'dims'] as const;
export type StructureKnob = (typeof STRUCTURE_KNOBS)[number];
export const KNOBS = ['width', 'patch', 'attention', 'resolution', ...STRUCTURE_KNOBS] as const;
export type KnobName = (typeof KNOBS)[number];

export const PATCH_PRESETS: Readonly<Record<string, readonly number[]>> = { A: [2, 2, 2], B: [8, 4, 2] };
export const WIDTH_RANGE = [0.25, 4] as const;
export const RESOLUTION_RANGE = [32, 2048] as const;
/** blocks per stage (transformer layers per MobileViT block, SwiftFormer blocks, MobileNetV2 repeats) */
export const DEPTH_RANGE = [1, 16] as const;
/** MLP ratio of the transformer blocks */
export const FFN_RANGE = [0.5, 8] as const;
/** expansion of the inverted-residual (conv) blocks */
export const EXPAND_RANGE = [1, 8] as const;
/** MobileViT v1 transformer widths: multiples of DIMS_STEP (its 4 heads) */
export const DIMS_RANGE = [16, 1024] as const;
export const DIMS_STEP = 4;

export interface ModelSpec {
  /** canonical id the spec starts from */
  id: string;
  family: AnyFamily;
  width: number;
  /** undefined for families without patches */
  patch: readonly number[] | undefined;
  attention: AttentionKind;
  resolution: number;
  /** structure knobs: undefined stands for the variant's value (after the width) */
  depth: readonly number[] | undefined;
  ffn: number | undefined;
  expand: number | undefined;
  dims: readonly number[] | undefined;
  /** the normalised spec string */
  spec: string;
  canonical: boolean;
}

/** knobs that apply to a family */
export const knobsOf = (f: AnyFamily): KnobName[] =>
  KNOBS.filter((k) =>
    k === 'patch' ? !!f.patch : k === 'attention' ? f.attention.length > 1 : isStructure(k) ? !!f.structure[k] : true,
  );

const isStructure = (k: string): k is StructureKnob => (STRUCTURE_KNOBS as readonly string[]).includes(k);

/** the first variant's per-stage list of a structure knob: its length is the family's, its text an example */
const exampleList = (family: AnyFamily, knob: 'depth' | 'dims'): readonly number[] =>
  family.structure[knob]!.of(Object.values(family.variants)[0]);

/** `AxBxC`: exactly `n` integers, each checked by `rule`; undefined when any is not */
/** `n` numbers joined by x ('8x4x2'), each within `rule` (and `also`), or undefined */
function parseList(value: string, n: number, rule: NumberRule, also: (v: number) => boolean = () => true): number[] | undefined {
  const list = value.split(/[x,]/).map((p) => {
    const r = checkNumber(p, rule);
    return 'value' in r && also(r.value) ? r.value : undefined;
  });
  return list.length === n && list.every((v) => v !== undefined) ? (list as number[]) : undefined;
}

const formatPatch = (p: readonly number[]): string =>
  Object.entries(PATCH_PRESETS).find(([, v]) => v.join() === p.join())?.[0] ?? p.join('x');

export function parseKnobValue(spec: string, family: AnyFamily, knob: KnobName, raw: string): unknown {
  const value = raw.trim();
  switch (knob) {
    case 'width': {
      const w = checkNumber(value, { min: WIDTH_RANGE[0], max: WIDTH_RANGE[1] });
      if ('problem' in w) throw msg.badKnobValue(spec, knob, value, `a number from ${WIDTH_RANGE[0]} to ${WIDTH_RANGE[1]}`);
      return w.value;
    }
    case 'resolution': {
      const r = checkNumber(value, { integer: true, min: RESOLUTION_RANGE[0], max: RESOLUTION_RANGE[1] });
      if ('problem' in r) throw msg.badKnobValue(spec, knob, value, `an integer from ${RESOLUTION_RANGE[0]} to ${RESOLUTION_RANGE[1]}`);
      return r.value;
    }
    case 'attention':
      if (!family.attention.includes(value as AttentionKind))
        throw msg.badKnobValue(spec, knob, value, `one of ${family.attention.join(', ')} for ${family.name} (all kinds: ${ATTENTION_KINDS.join(', ')})`);
      return value;
    case 'patch': {
      const n = family.patch!.length;
      const preset = PATCH_PRESETS[value.toUpperCase()];
      const list = preset ?? parseList(value, n, { integer: true, min: 1, max: 32 });
      if (!list || list.length !== n)
        throw msg.badKnobValue(spec, knob, value, `A (2,2,2), B (8,4,2) or ${n} sizes from 1 to 32 like 8x4x2`);
      return list;
    }
    case 'depth': {
      const example = exampleList(family, 'depth');
      const [min, max] = DEPTH_RANGE;
      const list = parseList(value, example.length, { integer: true, min, max });
      if (!list) throw msg.badKnobValue(spec, knob, value, `${example.length} integers from ${min} to ${max} joined by x (blocks per stage), like ${example.join('x')}`);
      return list;
    }
    case 'dims': {
      const example = exampleList(family, 'dims');
      const [min, max] = DIMS_RANGE;
      const list = parseList(value, example.length, { integer: true, min, max }, (v) => v % DIMS_STEP === 0);
      if (!list)
        throw msg.badKnobValue(spec, knob, value, `${example.length} multiples of ${DIMS_STEP} from ${min} to ${max} joined by x (transformer width per block), like ${example.join('x')}`);
      return list;
    }
    case 'ffn':
    case 'expand': {
      const [min, max] = knob === 'ffn' ? FFN_RANGE : EXPAND_RANGE;
      const r = checkNumber(value, { min, max });
      if ('problem' in r) {
        const what = knob === 'ffn' ? 'MLP ratio' : 'expansion ratio';
        const current = family.structure[knob]!.of(Object.values(family.variants)[0]);
        throw msg.badKnobValue(spec, knob, value, `a number from ${min} to ${max} (the ${what}; ${family.name}'s is ${current})`);
      }
      return r.value;
    }
  }
}

export function resolveSpec(text: string, families: readonly AnyFamily[]): ModelSpec {
  const m = /^\s*([a-z0-9_]+)\s*(?::(.*))?$/i.exec(text);
  // 'mobilevit_xxs:' or 'mobilevit_xxs:,' is a knob list left empty by mistake, not the canonical model
  if (!m || (m[2] !== undefined && !m[2].split(',').some((p) => p.trim()))) throw msg.badSpec(text);
  const id = m[1].toLowerCase();
  const family = families.find((f) => id in f.variants);
  if (!family) throw msg.unknownModel(id, families.flatMap((f) => Object.keys(f.variants)));
  const allowed = knobsOf(family);
  const spec: ModelSpec = {
    id,
    family,
    width: family.widthOf(id),
    patch: family.patch,
    attention: family.attention[0],
    resolution: family.resolution,
    depth: undefined,
    ffn: undefined,
    expand: undefined,
    dims: undefined,
    spec: id,
    canonical: true,
  };
  const seen = new Set<string>();
  for (const pair of (m[2] ?? '').split(',').filter((p) => p.trim())) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw msg.badSpec(text);
    const knob = pair.slice(0, eq).trim().toLowerCase();
    if (seen.has(knob)) throw msg.duplicateKnob(text, knob);
    seen.add(knob);
    if (!(KNOBS as readonly string[]).includes(knob)) throw msg.unknownKnob(text, knob, allowed, KNOBS);
    if (!allowed.includes(knob as KnobName)) throw msg.knobNotApplicable(text, knob, family.name, allowed);
    (spec as unknown as Record<string, unknown>)[knob] = parseKnobValue(text, family, knob as KnobName, pair.slice(eq + 1));
  }
  return normalise(spec);
}

/** the spec with its id, spec string and `canonical` derived from its knob values: knobs equal to the id's defaults
 *  disappear, so equal models have equal spec strings */
function normalise(given: ModelSpec): ModelSpec {
  const spec = { ...given };
  const family = spec.family;
  // in families whose ids are widths (mobilevitv2_075), a width that is another id's becomes that id
  const ids = Object.keys(family.variants);
  if (new Set(ids.map((i) => family.widthOf(i))).size > 1)
    spec.id = ids.find((i) => family.widthOf(i) === spec.width) ?? spec.id;
  const knobs: string[] = [];
  if (spec.width !== family.widthOf(spec.id)) knobs.push(`width=${spec.width}`);
  if (spec.patch && spec.patch.join() !== family.patch!.join()) knobs.push(`patch=${formatPatch(spec.patch)}`);
  if (spec.attention !== family.attention[0]) knobs.push(`attention=${spec.attention}`);
  if (spec.resolution !== family.resolution) knobs.push(`resolution=${spec.resolution}`);
  // a structure knob is compared with the variant's value after the width: mobilevit_xxs:width=1.5,dims=96x120x144
  // is mobilevit_xxs:width=1.5
  const base = family.withWidth(family.variants[spec.id], spec.width, spec.id);
  for (const k of STRUCTURE_KNOBS) {
    const v = spec[k];
    if (v === undefined) continue;
    if (formatKnob(v) === formatKnob(family.structure[k]!.of(base))) spec[k] = undefined;
    else knobs.push(`${k}=${formatKnob(v)}`);
  }
  spec.spec = knobs.length ? `${spec.id}:${knobs.join(',')}` : spec.id;
  spec.canonical = knobs.length === 0;
  return spec;
}

const formatKnob = (v: number | readonly number[]): string => (typeof v === 'number' ? String(v) : v.join('x'));

/** the variant row a spec builds: the id's row, the width applied, then the structure knobs that are set */
export function specRow(s: ModelSpec): unknown {
  let row = s.family.withWidth(s.family.variants[s.id], s.width, s.id);
  // AnyFamily's rows are `any`: one loop over the knobs instead of four typed lines
  const structure = s.family.structure as Record<StructureKnob, RowKnob<unknown, unknown> | undefined>;
  for (const k of STRUCTURE_KNOBS) if (s[k] !== undefined) row = structure[k]!.set(row, s[k]);
  return row;
}

export type KnobSetting = Partial<Record<KnobName, string | number | readonly number[]>>;

/** the spec with some knobs changed, each checked as a spec string's would be: `withKnobs(s, { resolution: 64 })`.
 *  Nobody splits spec strings by hand. */
export function withKnobs(spec: ModelSpec, knobs: KnobSetting): ModelSpec {
  const next: ModelSpec = { ...spec };
  for (const [knob, value] of Object.entries(knobs) as [KnobName, KnobSetting[KnobName]][]) {
    if (value === undefined) continue;
    const allowed = knobsOf(spec.family);
    if (!allowed.includes(knob)) throw msg.knobNotApplicable(spec.spec, knob, spec.family.name, allowed);
    const text = typeof value === 'object' ? value.join('x') : String(value);
    (next as unknown as Record<string, unknown>)[knob] = parseKnobValue(spec.spec, spec.family, knob, text);
  }
  return normalise(next);
}

export interface KnobValues {
  width: number;
  patch: string | null;
  attention: string;
  resolution: number;
  /** structure knobs as built (defaults included); null where the knob does not apply to the family */
  depth: string | null;
  ffn: number | null;
  expand: number | null;
  dims: string | null;
}

/** the knob values of a spec as plain data (for results rows) */
export function knobValues(s: ModelSpec): KnobValues {
  const row = specRow(s);
  const { structure } = s.family;
  const value = (k: 'ffn' | 'expand') => (structure[k] ? (structure[k].of(row) as number) : null);
  const list = (k: 'depth' | 'dims') => (structure[k] ? formatKnob(structure[k].of(row) as readonly number[]) : null);
  return {
    width: s.width,
    patch: s.patch ? formatPatch(s.patch) : null,
    attention: s.attention,
    resolution: s.resolution,
    depth: list('depth'),
    ffn: value('ffn'),
    expand: value('expand'),
    dims: list('dims'),
  };
}
