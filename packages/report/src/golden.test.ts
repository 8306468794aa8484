/**
 * The vega-lite spec of every figure for the fixed synthetic rows, committed under golden/. A change to a figure
 * shows up as a reviewable diff. After an intended change: `MVBENCH_UPDATE_GOLDEN=1 pnpm vitest run packages/report`.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scalingRows } from '@mvbench/claims/testing';
import { reportFigures } from './html.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { META } from './test-util.ts';

const dir = new URL('../golden/', import.meta.url);
const update = process.env.MVBENCH_UPDATE_GOLDEN === '1';
// the token-scaling figure needs a resolution sweep, which the synthetic rows do not hold
const figs = [...reportFigures(syntheticRows(), META), ...reportFigures(scalingRows(), META).filter((f) => f.id === 'token-scaling')];

describe('golden vega-lite specs', () => {
  for (const f of figs)
    it(f.id, () => {
      if (!('spec' in f)) throw new Error(`${f.id} has no data in the synthetic rows: ${f.note}`);
      const file = new URL(`${f.id}.json`, dir);
      const text = JSON.stringify(f.spec, null, 2) + '\n';
      if (update) writeFileSync(file, text);
      expect(existsSync(file), `golden spec for ${f.id} is missing: run with MVBENCH_UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });

  it('has no stale golden files', () => {
    expect(readdirSync(dir).sort()).toEqual(figs.map((f) => `${f.id}.json`).sort());
  });
});
