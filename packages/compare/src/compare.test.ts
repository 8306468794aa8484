import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '@mvbench/core';
import type { ResultRow } from '@mvbench/results';
import { compareSides, comparisonMarkdown, readSide } from './index.ts';

// the committed default results: two sweeps of the default plan (the second with a calibration)
const committed = readFileSync(new URL('../../../results/default.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResultRow);
const sweeps = [...new Set(committed.map((r) => r.sweep))];
const dir = mkdtempSync(join(tmpdir(), 'mvbench-compare-'));
const write = (name: string, rows: ResultRow[]) => {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  return file;
};
const last = committed.filter((r) => r.sweep === sweeps.at(-1)).slice(0, 6);
/** the same rows with every sample times `factor`, as a second run of the plan */
const scaled = (factor: number) =>
  last.map((r) => ({ ...r, sweep: 'default-later', samplesMs: r.samplesMs?.map((s) => s * factor) ?? null, latency: r.latency && { ...r.latency, median: r.latency.median * factor } }));
const opts = { minEffect: 0.05, alpha: 0.01 };
const old = write('old.jsonl', last);

describe('compare two results files', () => {
  it('20% slower everywhere is a regression, 20% faster is faster, the same samples are the same', () => {
    for (const [factor, verdict] of [[1.2, 'regression'], [0.8, 'faster'], [1, 'same']] as const) {
      const c = compareSides(readSide(old), readSide(write(`x${factor}.jsonl`, scaled(factor))), opts);
      const compared = last.filter((r) => !r.error && r.samplesMs?.length);
      expect(c.cells.map((x) => x.cell)).toEqual(compared.map((r) => r.cell));
      for (const x of c.cells) {
        expect(x.verdict).toBe(verdict);
        expect(x.ratio).toBeCloseTo(factor, 6);
        expect(x.ciLow).toBeLessThanOrEqual(x.ratio);
        expect(x.ciHigh).toBeGreaterThanOrEqual(x.ratio);
      }
      expect(c.machineWarning).toBeNull(); // one calibration on both sides
    }
  });

  it('a 3% change below the minimum effect is the same; with --min-effect 0.02 it counts', () => {
    const file = write('x1.03.jsonl', scaled(1.03));
    expect(compareSides(readSide(old), readSide(file), opts).cells.every((x) => x.verdict === 'same')).toBe(true);
    expect(compareSides(readSide(old), readSide(file), { ...opts, minEffect: 0.02 }).cells.every((x) => x.verdict === 'regression')).toBe(true);
  });

  it('the earlier, uncalibrated sweep against the calibrated one: compared, with the machine warning; cells of one side listed', () => {
    const first = write('first.jsonl', committed.filter((r) => r.sweep === sweeps[0]));
    const c = compareSides(readSide(first), readSide(write('partial.jsonl', last)), opts);
    expect(c.cells.length).toBeGreaterThan(0);
    expect(c.machineWarning).toMatch(/no calibration/);
    expect(c.onlyOld.length).toBeGreaterThan(0);
    const md = comparisonMarkdown(c);
    expect(md).toMatch(/^\| model \| runner \| threads \| old ms/m);
    expect(md.split('\n').filter((l) => l.startsWith('| `')).length).toBe(c.cells.length);
  });

  it('files of different plans are a user error naming both', () => {
    const other = write('other.jsonl', last.map((r) => ({ ...r, plan: 'smoke' })));
    let error: unknown;
    try {
      compareSides(readSide(old), readSide(other), opts);
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(`cannot compare ${old} (plan 'default') with ${other} (plan 'smoke')`);
  });
});
