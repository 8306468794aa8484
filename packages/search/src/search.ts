/**
 * The search loop, independent of how candidates are evaluated:
 *
 *   generation 0: `population` random distinct buildable admissible candidates -> evaluate
 *   then per generation: offspring (nsga2: tournaments on rank and crowding -> crossover -> mutation;
 *   random: fresh random candidates) -> evaluate -> nsga2 keeps the best `population` of parents and offspring
 *
 * `admissible` is a check cheap enough to draw again on (params, MACs, a predicted latency against the limits): a
 * candidate that fails it is drawn again and not evaluated, so no evaluation is spent on it.
 *
 * Deterministic for a seed given the evaluations, so a resumed search replays the same decisions from the rows it
 * finds (the evaluator answers those from its cache) and goes on where it stopped.
 */
import { mulberry32, userError } from '@mvbench/core';
import { buildable, specOf, type Choice, type SearchSpace } from '@mvbench/space';
import { crossover, mutate, randomGenome } from './genome.ts';
import { survivors, tournament, type Point, type Ranked } from './nsga2.ts';

export type Method = 'nsga2' | 'random';

export interface Candidate {
  choice: Choice;
  spec: string;
  generation: number;
}

/** what the evaluator found for a candidate; objectives are minimised */
export interface Evaluated {
  candidate: Candidate;
  objectives: number[];
  /** 0 when every constraint holds */
  violation: number;
  /** whether the objectives are complete (accuracy known): only these count towards the front and hypervolume */
  complete: boolean;
  /** whether the latency objective was measured (not predicted) */
  measured?: boolean;
}

/** evaluates a generation's candidates; returns fewer than given when the budget ran out (the search's end) */
export type Evaluate = (candidates: readonly Candidate[], generation: number) => Promise<Evaluated[]>;

export interface SearchOptions {
  space: SearchSpace;
  method: Method;
  seed: number;
  population: number;
  evaluate: Evaluate;
  /** stop after this many evaluated candidates (a benchmark's fixed budget); default no limit */
  maxEvaluations?: number;
  /** false: the candidate is drawn again (default: every candidate is admissible) */
  admissible?: (c: Candidate) => Promise<boolean>;
  /** after each generation; `redrawn`: candidates of it that were not admissible */
  onGeneration?: (generation: number, all: readonly Evaluated[], redrawn: number) => void;
}

/** part of a search's key: raised when the loop's decisions change, so that --resume never mixes two versions of
 *  the loop in one search (2: a family gene, candidates outside the limits drawn again) */
export const LOOP_VERSION = 2;

const CROSSOVER_P = 0.9;
const MAX_DRAWS = 500;

export async function runSearch(o: SearchOptions): Promise<Evaluated[]> {
  const rand = mulberry32(o.seed);
  const seen = new Set<string>();
  const all: Evaluated[] = [];
  let parents: (Evaluated & { ranked: Ranked })[] = [];

  let redrawn = 0, built = 0;
  /** up to n new distinct buildable admissible candidates from `draw` */
  const fresh = async (n: number, generation: number, draw: () => Choice): Promise<Candidate[]> => {
    const out: Candidate[] = [];
    for (let misses = 0; out.length < n && misses < MAX_DRAWS; ) {
      const choice = draw();
      const spec = specOf(choice);
      const known = seen.has(spec.spec);
      seen.add(spec.spec);
      if (known || !buildable(spec)) {
        misses++;
        continue;
      }
      built++;
      const candidate = { choice, spec: spec.spec, generation };
      if (o.admissible && !(await o.admissible(candidate))) {
        redrawn++;
        misses++;
        continue;
      }
      out.push(candidate);
    }
    return out;
  };

  for (let generation = 0; all.length < (o.maxEvaluations ?? Infinity); generation++) {
    const n = Math.min(o.population, (o.maxEvaluations ?? Infinity) - all.length);
    const random = () => randomGenome(o.space, rand);
    const bred = () => {
      const a = tournament(parents, rand).candidate.choice, b = tournament(parents, rand).candidate.choice;
      return mutate(rand() < CROSSOVER_P ? crossover(a, b, rand) : a, o.space, rand);
    };
    redrawn = 0;
    const candidates = await fresh(n, generation, generation === 0 || o.method === 'random' ? random : bred);
    if (!candidates.length) {
      if (generation === 0 && !built) throw userError('BAD_SPACE', 'the search space yields no buildable model: check that its patches tile its resolutions');
      if (generation === 0) throw userError('BAD_ARGUMENT', `${MAX_DRAWS} draws from the search space found no candidate within the limits (${redrawn} buildable ones, all outside them): raise the limits (--max-latency, --max-params, --max-macs) or narrow the space to smaller models`);
      break; // the space is exhausted
    }
    const done = await o.evaluate(candidates, generation);
    if (!done.length) break; // the budget ran out before this generation
    all.push(...done);
    if (o.method === 'nsga2') {
      const pool = [...parents, ...done];
      parents = survivors(pool.map(pointOf), o.population).map(({ index, ranked }) => ({ ...pool[index], ranked }));
    }
    o.onGeneration?.(generation, all, redrawn);
    if (done.length < candidates.length) break;
  }
  return all;
}

const pointOf = (e: Evaluated): Point => ({ objectives: e.objectives, violation: e.violation });

/** the non-dominated complete feasible evaluations */
export function front(all: readonly Evaluated[]): Evaluated[] {
  const ok = all.filter((e) => e.complete && e.violation === 0);
  return ok.filter((e) => !ok.some((f) => f !== e && f.objectives.every((v, i) => v <= e.objectives[i]) && f.objectives.some((v, i) => v < e.objectives[i])));
}
