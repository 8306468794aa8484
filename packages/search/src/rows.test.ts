import { describe, expect, it } from 'vitest';
import { spentMs } from './rows.ts';

const row = (startedAt: string, durationS: number) => ({ startedAt, durationS });

describe('spentMs: the time a search has spent, as its rows record it', () => {
  it('counts trainings that ran side by side once, and not the pause between two runs', () => {
    const rows = [
      row('2026-01-01T10:00:00.000Z', 60), // 10:00-10:01
      row('2026-01-01T10:00:30.000Z', 60), // 10:00:30-10:01:30, beside the first
      row('2026-01-01T10:00:40.000Z', 10), // inside both
      row('2026-01-01T12:00:00.000Z', 30), // resumed two hours later
    ];
    expect(spentMs(rows)).toBe((90 + 30) * 1000);
    expect(spentMs([...rows].reverse())).toBe((90 + 30) * 1000);
    expect(spentMs([])).toBe(0);
  });
});
