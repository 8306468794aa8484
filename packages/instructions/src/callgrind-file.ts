/**
 * Reading callgrind's dump files and turning cache events into an estimate of cycles.
 * Each dump has an `events:` line naming the counters and a `summary:` line with their totals.
 */
export interface CacheEvents {
  Ir: number;
  Dr: number;
  Dw: number;
  I1mr: number;
  D1mr: number;
  D1mw: number;
  ILmr: number;
  DLmr: number;
  DLmw: number;
}

export function readSummary(text: string, file: string): CacheEvents {
  const events = /^events:\s*(.+)$/m.exec(text)?.[1].trim().split(/\s+/);
  const summary = /^summary:\s*(.+)$/m.exec(text)?.[1].trim().split(/\s+/).map(Number);
  if (!events || !summary) throw new Error(`${file} is not a callgrind dump (no events:/summary: lines)`);
  const all = Object.fromEntries(events.map((e, i) => [e, summary[i] ?? 0]));
  const missing = ['Ir', 'Dr', 'Dw', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw'].filter((e) => !(e in all));
  if (missing.length) throw new Error(`${file} lacks the events ${missing.join(', ')} (was --cache-sim=yes given?)`);
  return all as unknown as CacheEvents;
}

/**
 * Estimated cycles from the cache simulation, with the weights iai and iai-callgrind use: an L1 hit costs 1 cycle,
 * an LL hit 5, a main-memory access 35. A model of cost, not a measured time: it moves with memory traffic that
 * the instruction count does not see (a layout change that copies a tensor in a cache-unfriendly order).
 */
export function estimatedCycles(e: CacheEvents): number {
  const accesses = e.Ir + e.Dr + e.Dw;
  const l1Misses = e.I1mr + e.D1mr + e.D1mw;
  const llMisses = e.ILmr + e.DLmr + e.DLmw;
  return accesses - l1Misses + 5 * (l1Misses - llMisses) + 35 * llMisses;
}
