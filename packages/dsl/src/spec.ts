/**
 * Model specs: `<id>[:key=value,...]`. A canonical id is a paper's model exactly; each knob changes only what it
 * names. `normalizeSpec` drops knobs equal to the id's defaults, so equal models have equal spec strings.
 */
import { ATTENTION_KINDS, type AttentionKind } from './attention.ts';
import type { AnyFamily } from './family.ts';
import { checkNumber } from '@mvbench/ir';
import { msg } from './messages.ts';

export const KNOBS = ['width', 'patch', 'attention', 'resolution'] as const;
export type KnobName = (typeof KNOBS)[number];

export const PATCH_PRESETS: Readonly<Record<string, readonly number[]>> = { A: [2, 2, 2], B: [8, 4, 2] };
export const WIDTH_RANGE = [0.25, 4] as const;
export const RESOLUTION_RANGE = [32, 2048] as const;

export interface ModelSpec {
  /** canonical id the spec starts from */
  id: string;
  family: AnyFamily;
  width: number;
  /** undefined for families without patches */
  patch: readonly number[] | undefined;
  attention: AttentionKind;
  resolution: number;
  /** the normalised spec string */
  spec: string;
  canonical: boolean;
}

/** knobs that apply to a family */
export const knobsOf = (f: AnyFamily): KnobName[] =>
  KNOBS.filter((k) => (k === 'patch' ? !!f.patch : k === 'attention' ? f.attention.length > 1 : true));

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
      const parsed = preset ? [] : value.split(/[x,]/).map((p) => checkNumber(p, { integer: true, min: 1, max: 32 }));
      const list = preset ?? parsed.map((p) => ('value' in p ? p.value : NaN));
      if (list.length !== n || list.some((p) => Number.isNaN(p)))
        throw msg.badKnobValue(spec, knob, value, `A (2,2,2), B (8,4,2) or ${n} sizes from 1 to 32 like 8x4x2`);
      return list;
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
    if (!(KNOBS as readonly string[]).includes(knob)) throw msg.unknownKnob(text, knob, allowed);
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
  spec.spec = knobs.length ? `${spec.id}:${knobs.join(',')}` : spec.id;
  spec.canonical = knobs.length === 0;
  return spec;
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

/** the knob values of a spec as plain data (for results rows) */
export const knobValues = (s: ModelSpec) => ({
  width: s.width,
  patch: s.patch ? formatPatch(s.patch) : null,
  attention: s.attention,
  resolution: s.resolution,
});
