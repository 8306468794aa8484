/**
 * Golden files of the optimised graph, the one `mvbench emit` writes by default and every runner measures: per
 * canonical model, and per attention kind other than the canonical one on the smallest variant of each family (the
 * attention rewrites differ by kind). Facts (nodes, op histogram, params, MACs) and the printed graph. The plain graph
 * has its goldens in packages/dsl/golden. After an intended change: `pnpm golden:update`, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel, canonicalIds, FAMILIES } from '@mvbench/dsl';
import { countMacs, countParams, opHistogram, printGraph } from '@mvbench/ir';
import { optimize } from './index.ts';

const dir = new URL('../golden/', import.meta.url);
const update = process.env.MVBENCH_UPDATE_GOLDEN === '1';

const attentionVariants = FAMILIES.flatMap((f) => f.attention.slice(1).map((a) => `${Object.keys(f.variants)[0]}:attention=${a}`));

function goldenText(spec: string): string {
  const graph = optimize(buildModel(spec).graph);
  const facts = { nodes: graph.nodes.length, ops: opHistogram(graph), params: countParams(graph), macs: countMacs(graph) };
  return `${Object.entries(facts).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}\n\n${printGraph(graph)}`;
}

describe('golden optimised graphs', () => {
  for (const spec of [...canonicalIds(), ...attentionVariants])
    it(spec, () => {
      const file = new URL(`${spec.replace(':', '.').replace('=', '-')}.txt`, dir);
      const text = goldenText(spec);
      if (update) writeFileSync(file, text);
      expect(existsSync(file), `golden file for ${spec} is missing: run 'pnpm golden:update'`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
});
