import { expect, test } from 'vitest';
import { measureInterleaved } from './interleave.ts';

test('arms alternate their order every round and each gets one sample per round', async () => {
  let now = 0n;
  const calls: string[] = [];
  const arm = (name: string, costNs: bigint) => async () => {
    calls.push(name);
    now += costNs;
  };
  const r = await measureInterleaved([arm('a', 1_000_000n), arm('b', 2_000_000n)], { warmupRounds: 2, minRounds: 4, maxRounds: 4, clock: () => now });
  expect(calls.join('')).toBe('ab' + 'ba' + 'ab' + 'ba' + 'ab' + 'ba');
  expect(r.rounds).toBe(4);
  expect(r.samplesMs).toEqual([[1, 1, 1, 1], [2, 2, 2, 2]]);
});

test('stops at the time budget once the minimum rounds ran', async () => {
  let now = 0n;
  const r = await measureInterleaved([async () => (now += 10_000_000n)], { warmupRounds: 0, minRounds: 3, budgetMs: 50, clock: () => now });
  expect(r.rounds).toBe(5);
});
