/**
 * Interleaved measurement of several arms (A/B comparisons): every round runs each arm once, in an order that
 * alternates (AB, BA, AB, ...) so neither arm always runs first, and drift or bursts on a shared machine hit all
 * arms alike. Warm-up runs every arm until the timings settle, like measure().
 */
import type { Clock } from './measure.ts';

export interface InterleaveOptions {
  warmupRounds?: number; // default 10
  minRounds?: number; // default 30
  maxRounds?: number; // default 400
  budgetMs?: number; // wall time of the timed rounds, default 5000
  clock?: Clock;
}

export interface Interleaved {
  /** samples per arm in ms, in round order */
  samplesMs: number[][];
  rounds: number;
}

export async function measureInterleaved(arms: readonly (() => Promise<unknown>)[], opts: InterleaveOptions = {}): Promise<Interleaved> {
  const { warmupRounds = 10, minRounds = 30, maxRounds = 400, budgetMs = 5000 } = opts;
  const clock = opts.clock ?? (() => process.hrtime.bigint());
  const order = (round: number) => (round % 2 === 0 ? arms.map((_, i) => i) : arms.map((_, i) => arms.length - 1 - i));
  for (let r = 0; r < warmupRounds; r++) for (const i of order(r)) await arms[i]();
  const samples: number[][] = arms.map(() => []);
  const start = clock();
  let rounds = 0;
  while (rounds < maxRounds && (rounds < minRounds || Number(clock() - start) / 1e6 < budgetMs)) {
    for (const i of order(rounds)) {
      const t0 = clock();
      await arms[i]();
      samples[i].push(Number(clock() - t0) / 1e6);
    }
    rounds++;
  }
  return { samplesMs: samples, rounds };
}
