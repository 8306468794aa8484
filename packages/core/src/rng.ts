/** Seeded randomness: the same seed gives the same numbers on every machine and runtime. */
/**
 * mulberry32: a small seeded PRNG. Written out rather than taken from pure-rand because initialising
 * mobilevitv2_200's 18M values with pure-rand's xoroshiro128+ took 0.7 s, this takes ~0.15 s
 * (benchmarks/foundation/speed.ts). Output in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
