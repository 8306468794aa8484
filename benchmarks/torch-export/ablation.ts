/**
 * What each rewrite of packages/optimize buys: the optimised graph against the same graph with one rewrite left
 * out, all timed interleaved in one run (with the torch export and the plain graph as references).
 *
 *   pnpm tsx benchmarks/torch-export/ablation.ts [--models a,b] [--threads 1] [--level all] [--rounds 60]
 */
import { parseArgs } from 'node:util';
import { buildModel } from '@mvbench/dsl';
import { referenceFile } from '@mvbench/fixtures';
import { toOnnx } from '@mvbench/onnx';
import { optimize, REWRITES } from '@mvbench/optimize';
import { artifactOf } from '@mvbench/pipeline';
import { bootstrapRatioCI, summarize } from '@mvbench/runner-core';
import { loadCheckpoint, readSafetensorsFile } from '@mvbench/weights';
import { interleaved, type Arm, type Level } from './interleave.ts';
import { torchExport, torchExported } from './models.ts';
import { num } from '../args.ts';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string' },
    threads: { type: 'string', default: '1' },
    level: { type: 'string', default: 'all' },
    rounds: { type: 'string', default: '60' },
  },
});

for (const model of a.models?.split(',') ?? torchExported()) {
  const graph = loadCheckpoint(buildModel(model).graph, readSafetensorsFile(referenceFile(`parity/${model}.safetensors`)));
  const full = optimize(graph);
  const arm = (label: string, g = graph): Arm => ({ label, artifact: artifactOf(label, g, toOnnx(g)), samples: [] });
  const arms: Arm[] = [
    { label: 'torch export', artifact: torchExport(model), samples: [] },
    arm('plain'),
    arm('optimised', full),
  ];
  for (const name of Object.keys(REWRITES)) {
    const without = optimize(graph, { skip: [name] });
    // a rewrite that changes nothing in this model is not timed
    if (without.nodes.length !== full.nodes.length || JSON.stringify(without.nodes) !== JSON.stringify(full.nodes)) arms.push(arm(`without ${name}`, without));
  }
  await interleaved(arms, num(a, 'threads'), a.level as Level, num(a, 'rounds'));
  const ref = arms[2].samples;
  console.log(`\n## ${model} (${a.threads} thread(s), level ${a.level}, ${a.rounds} rounds): median ms, ratio to the optimised graph [95% CI]`);
  for (const x of arms) {
    const r = bootstrapRatioCI(x.samples, ref);
    console.log(`${summarize(x.samples).median.toFixed(2).padStart(7)}  ${r.ratio.toFixed(3)} [${r.low.toFixed(3)}, ${r.high.toFixed(3)}]  ${x.label}`);
  }
}
