/** Every user-facing message of the DSL, in one place. */
import { closest, distance } from 'fastest-levenshtein';
import { userError, type MvbenchError } from '@mvbench/core';

export function nearest(word: string, candidates: readonly string[], n = 3): string[] {
  return [...candidates].sort((a, b) => distance(word, a) - distance(word, b) || a.localeCompare(b)).slice(0, n);
}

export const msg = {
  unknownModel: (id: string, known: readonly string[]): MvbenchError =>
    userError(
      'UNKNOWN_MODEL',
      `unknown model id '${id}'. Nearest: ${nearest(id, known).join(', ')}. ` + `Run 'mvbench models' for all ids and knobs.`,
    ),
  badSpec: (spec: string): MvbenchError =>
    userError('BAD_SPEC', `cannot parse model spec '${spec}': expected <id>[:key=value,...], e.g. mobilevit_xxs:patch=B,resolution=320`),
  unknownKnob: (spec: string, knob: string, allowed: readonly string[], known: readonly string[]): MvbenchError =>
    userError(
      'UNKNOWN_KNOB',
      `${spec}: unknown knob '${knob}'` +
        (allowed.length ? `; this family takes ${allowed.join(', ')}` : '') +
        ` (did you mean '${closest(knob, [...allowed, ...known])}'?)`,
    ),
  knobNotApplicable: (spec: string, knob: string, family: string, allowed: readonly string[]): MvbenchError =>
    userError('UNKNOWN_KNOB', `${spec}: knob '${knob}' does not apply to family ${family}; it takes ${allowed.join(', ')}`),
  badKnobValue: (spec: string, knob: string, value: string, allowed: string): MvbenchError =>
    userError('BAD_KNOB_VALUE', `${spec}: ${knob}='${value}' is not allowed; ${knob} takes ${allowed}`),
  duplicateKnob: (spec: string, knob: string): MvbenchError => userError('BAD_SPEC', `${spec}: knob '${knob}' is given twice`),
};
