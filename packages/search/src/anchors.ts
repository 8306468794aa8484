/**
 * Anchors: the papers' own models, evaluated like candidates (the same limits and latency, the proxy training at the
 * last fidelity only, latency measured also when the search predicts it), outside the search's population. They are what a
 * found model must beat: the front beside them is the search's answer to "better than what the papers listed?".
 */
import { userError } from '@mvbench/core';
import { parseSpec } from '@mvbench/dsl';
import type { SearchSpace } from '@mvbench/space';
import type { Objective } from './evaluate.ts';
import type { Candidate, Evaluate, Evaluated } from './search.ts';

/** rows of anchors carry this generation */
export const ANCHOR_GENERATION = -1;

/** the anchors' candidates: canonical models of the space's families (default: the ids the space starts from) */
export function anchorCandidates(space: SearchSpace, ids?: readonly string[]): Candidate[] {
  const families = new Map(space.families.map((f) => [f.family.name, f]));
  return (ids ?? space.families.flatMap((f) => f.ids)).map((id) => {
    const spec = parseSpec(id);
    const family = families.get(spec.family.name);
    if (!spec.canonical || !family)
      throw userError('BAD_ARGUMENT', `--anchors: '${id}' is not a canonical model of the space's families (${[...families.keys()].join(', ')}); give ids such as ${space.families.map((f) => f.ids[0]).join(', ')}, or none`);
    return { choice: { family, id: spec.spec, knobs: {} }, spec: spec.spec, generation: ANCHOR_GENERATION };
  });
}

/** the anchors together (trainings `workers` at once), with an anchors' evaluator: every one trained at the last fidelity */
export const evaluateAnchors = (anchors: readonly Candidate[], evaluate: Evaluate): Promise<Evaluated[]> =>
  anchors.length ? evaluate(anchors, ANCHOR_GENERATION) : Promise.resolve([]);

export interface Improvement {
  found: Evaluated;
  anchor: Evaluated;
}

/** front members that are not canonical and beat an anchor: faster at equal or better accuracy (no worse in a third
 *  objective), both latencies measured, never predicted */
export function improvements(front: readonly Evaluated[], anchors: readonly Evaluated[], objectives: readonly Objective[]): Improvement[] {
  const l = objectives.indexOf('latency');
  if (l < 0) return [];
  const ok = anchors.filter((a) => a.complete && a.violation === 0 && a.measured);
  return front
    .filter((e) => e.measured && !parseSpec(e.candidate.spec).canonical)
    .flatMap((found) => ok.filter((a) => found.objectives[l] < a.objectives[l] && found.objectives.every((v, i) => v <= a.objectives[i])).map((anchor) => ({ found, anchor })));
}
