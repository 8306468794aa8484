import { describe, expect, it } from 'vitest';
import { latestPerCell } from './latest.ts';
import { ResultRow } from './schema.ts';

describe('latestPerCell', () => {
  it('keeps the last row of each cell of each sweep, where the cell first appeared', () => {
    const rows = [
      { sweep: 's1', cell: 'a', v: 1 },
      { sweep: 's1', cell: 'b', v: 2 },
      { sweep: 's2', cell: 'a', v: 3 },
      { sweep: 's1', cell: 'a', v: 4 }, // a retried cell supersedes its first row
    ];
    expect(latestPerCell(rows)).toEqual([
      { sweep: 's1', cell: 'a', v: 4 },
      { sweep: 's1', cell: 'b', v: 2 },
      { sweep: 's2', cell: 'a', v: 3 },
    ]);
  });

  it('the schema carries ciCoverage and load, and rows written before them still validate', () => {
    const latency = { n: 5, median: 1, p10: 1, p90: 1, mean: 1, stdev: 0, min: 1, max: 1, ciLow: 1, ciHigh: 1, ciLevel: 0.95, relCiHalfWidth: 0 };
    const shape = ResultRow.shape;
    expect(shape.latency.parse(latency)).toEqual(latency);
    expect(shape.latency.parse({ ...latency, ciCoverage: 0.9375 })).toMatchObject({ ciCoverage: 0.9375 });
    expect(shape.load.parse(undefined)).toBeUndefined();
    expect(shape.load.parse(null)).toBeNull();
    const load = { otherCores: 1.2, otherCpuShare: 0.6, loadavgBefore: 1, loadavgAfter: 2, drift: null, contended: true };
    expect(shape.load.parse(load)).toEqual(load);
  });
});
