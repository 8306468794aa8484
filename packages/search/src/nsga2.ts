/**
 * NSGA-II's selection (Deb et al. 2002), as Optuna's NSGAIISampler and pymoo's RankAndCrowding do it:
 *
 *   points (objectives to minimise, constraint violation) -> constrained domination -> non-dominated fronts
 *   -> crowding distance within a front -> survivors: whole fronts, the last one cut by crowding distance
 *   -> parents: binary tournaments (rank, then crowding distance)
 *
 * No npm package does this: the registry has no maintained NSGA-II or hypervolume library for JavaScript (searched
 * for nsga/hypervolume/multi-objective; the one hit is an LLM prompt optimiser), so it is written here, small.
 */

export interface Point {
  /** objective values, all minimised */
  objectives: readonly number[];
  /** total constraint violation, 0 when feasible (Deb's constrained domination) */
  violation: number;
}

/** a dominates b: feasible beats infeasible, less violation beats more, else Pareto dominance */
export function dominates(a: Point, b: Point): boolean {
  if (a.violation !== b.violation) return a.violation < b.violation;
  let better = false;
  for (let i = 0; i < a.objectives.length; i++) {
    if (a.objectives[i] > b.objectives[i]) return false;
    if (a.objectives[i] < b.objectives[i]) better = true;
  }
  return better;
}

/** fronts of indices into `points`, best first (fast non-dominated sort, O(M N^2)) */
export function nonDominatedSort(points: readonly Point[]): number[][] {
  const dominatedBy = points.map(() => 0);
  const dominating: number[][] = points.map(() => []);
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      if (dominates(points[i], points[j])) (dominating[i].push(j), dominatedBy[j]++);
      else if (dominates(points[j], points[i])) (dominating[j].push(i), dominatedBy[i]++);
    }
  const fronts: number[][] = [];
  let front = points.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  while (front.length) {
    fronts.push(front);
    const next: number[] = [];
    for (const i of front) for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    front = next.sort((a, b) => a - b);
  }
  return fronts;
}

/** crowding distance of each member of one front (Infinity at each objective's extremes) */
export function crowdingDistance(points: readonly Point[], front: readonly number[]): Map<number, number> {
  const d = new Map(front.map((i) => [i, 0]));
  if (front.length <= 2) return new Map(front.map((i) => [i, Infinity]));
  const m = points[front[0]].objectives.length;
  for (let k = 0; k < m; k++) {
    const sorted = [...front].sort((a, b) => points[a].objectives[k] - points[b].objectives[k] || a - b);
    const lo = points[sorted[0]].objectives[k], hi = points[sorted.at(-1)!].objectives[k];
    d.set(sorted[0], Infinity);
    d.set(sorted.at(-1)!, Infinity);
    if (hi === lo) continue;
    for (let r = 1; r < sorted.length - 1; r++)
      d.set(sorted[r], d.get(sorted[r])! + (points[sorted[r + 1]].objectives[k] - points[sorted[r - 1]].objectives[k]) / (hi - lo));
  }
  return d;
}

export interface Ranked {
  /** 0 for the first front */
  rank: number;
  crowding: number;
}

/** the `n` survivors of `points` (indices, best first) with their rank and crowding distance */
export function survivors(points: readonly Point[], n: number): { index: number; ranked: Ranked }[] {
  const out: { index: number; ranked: Ranked }[] = [];
  for (const [rank, front] of nonDominatedSort(points).entries()) {
    const crowd = crowdingDistance(points, front);
    const byCrowding = [...front].sort((a, b) => crowd.get(b)! - crowd.get(a)! || a - b);
    for (const index of byCrowding) {
      if (out.length === n) return out;
      out.push({ index, ranked: { rank, crowding: crowd.get(index)! } });
    }
  }
  return out;
}

/** binary tournament: lower rank wins, then larger crowding distance, then a coin */
export function tournament<T extends { ranked: Ranked }>(pool: readonly T[], rand: () => number): T {
  const a = pool[Math.floor(rand() * pool.length)], b = pool[Math.floor(rand() * pool.length)];
  if (a.ranked.rank !== b.ranked.rank) return a.ranked.rank < b.ranked.rank ? a : b;
  if (a.ranked.crowding !== b.ranked.crowding) return a.ranked.crowding > b.ranked.crowding ? a : b;
  return rand() < 0.5 ? a : b;
}
