/**
 * Golden files per canonical model: facts (params, MACs, stage shapes, op histogram) and the printed graph.
 * A refactor that changes none of them provably preserves every model. After an intended change:
 * `pnpm golden:update`, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printGraph } from '@mvbench/ir';
import { buildModel, canonicalIds, modelInfo } from './index.ts';

const dir = new URL('../golden/', import.meta.url);
const update = process.env.MVBENCH_UPDATE_GOLDEN === '1';

export function goldenText(id: string): string {
  const built = buildModel(id);
  const { params, paramsWithoutClassifier, macs, input, output, stages, nodes, ops } = modelInfo(built);
  const facts = Object.entries({ params, paramsWithoutClassifier, macs, input, output, nodes, ops })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .concat(stages.map((s) => `stage ${s.name}: ${JSON.stringify(s.shape)}`))
    .join('\n');
  return `${facts}\n\n${printGraph(built.graph)}`;
}

describe('golden model summaries', () => {
  for (const id of canonicalIds())
    it(id, () => {
      const file = new URL(`${id}.txt`, dir);
      const text = goldenText(id);
      if (update) writeFileSync(file, text);
      expect(existsSync(file), `golden file for ${id} is missing: run 'pnpm golden:update'`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
});
