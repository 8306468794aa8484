/**
 * Where the time goes: onnxruntime's per-node profile of our emitted graph (plain and optimised) and of the torch
 * export, per op after onnxruntime's own fusions, as ms per inference.
 *
 *   pnpm tsx benchmarks/torch-export/profile.ts [--models a,b] [--threads 1] [--level all|basic] [--runs 40]
 *     [--top 12]   also list the slowest node-name groups (scope prefixes) of each graph
 *     [--nodes Op] also list every node of these ops (regex) with its time
 *     [--only opt] profile only the graphs whose label (torch, ours plain, ours opt) contains this
 */
import { parseArgs } from 'node:util';
import { ourModel, torchExport, torchExported } from './models.ts';
import { fixtureInput, type ModelArtifact } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { num } from '../args.ts';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string' },
    threads: { type: 'string', default: '1' },
    level: { type: 'string', default: 'all' },
    runs: { type: 'string', default: '40' },
    top: { type: 'string', default: '0' },
    nodes: { type: 'string' },
    only: { type: 'string' },
  },
});
const runner = createOrtNodeRunner();
const runs = num(a, 'runs');

async function profile(art: ModelArtifact) {
  const p = await runner.prepare(art, { threads: num(a, 'threads'), graphOptimization: a.level as 'all', profile: true });
  const feeds = { [art.inputs[0].name]: fixtureInput(art.inputs[0].shape) };
  for (let i = 0; i < 10 + runs; i++) await runner.run(p, feeds);
  const timings = await runner.endProfile!(p);
  await runner.dispose(p);
  const byOp = new Map<string, number>(), byScope = new Map<string, number>(), byNode = new Map<string, number>();
  const n = 10 + runs;
  let total = 0;
  for (const t of timings) {
    const ms = t.durUs / 1000 / n;
    total += ms;
    byOp.set(t.op, (byOp.get(t.op) ?? 0) + ms);
    const scope = t.node.split(/[/_]/)[0].split('.').slice(0, 3).join('.');
    byScope.set(scope, (byScope.get(scope) ?? 0) + ms);
    if (a.nodes && new RegExp(a.nodes).test(t.op)) byNode.set(`${t.op} ${t.node}`, (byNode.get(`${t.op} ${t.node}`) ?? 0) + ms);
  }
  return { total, byOp, byScope, byNode };
}

const fmt = (m: Map<string, number>, k: number) =>
  [...m].sort((x, y) => y[1] - x[1]).slice(0, k).map(([op, ms]) => `${op} ${ms.toFixed(2)}`).join(', ');

for (const model of a.models?.split(',') ?? torchExported()) {
  const torch = torchExport(model);
  const all: [string, ModelArtifact][] = [['torch', torch], ['ours plain', ourModel(model, false).artifact], ['ours opt', ourModel(model, true).artifact]];
  const graphs = all.filter(([label]) => !a.only || label.includes(a.only));
  console.log(`\n## ${model} (${a.threads} thread(s), level ${a.level}, kernel ms per inference)`);
  for (const [label, art] of graphs) {
    const r = await profile(art);
    console.log(`${label.padEnd(10)} total ${r.total.toFixed(2)}: ${fmt(r.byOp, 14)}`);
    if (num(a, 'top')) console.log(`${''.padEnd(10)} scopes: ${fmt(r.byScope, num(a, 'top'))}`);
    if (a.nodes) console.log([...r.byNode].map(([n, ms]) => `    ${ms.toFixed(3)} ${n}`).join('\n'));
  }
}
await runner.dispose();
