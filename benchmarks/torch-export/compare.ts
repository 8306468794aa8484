/**
 * Our emitted graphs against torch.onnx.export of the same models with the same weights, on onnxruntime-node
 * (issue #6): ours must never be slower. For each torch export in ../shared/reference/torch-export (weights from
 * parity/<model>.safetensors) and each
 * setting (threads x graph optimisation level), the sessions are warmed, then timed interleaved, rotating the
 * order inside each round (torch, optimised, plain; then optimised, plain, torch; ...), so drifts of the shared
 * machine hit every arm alike. Reports the median ratio ours/torch with a bootstrap 95% CI, and the achieved
 * GFLOP/s (2 MACs / latency) as a share of a 1024^3 MatMul's measured in the same run with the same options.
 *
 *   pnpm tsx benchmarks/torch-export/compare.ts [--models a,b] [--threads 1,2] [--levels all,basic]
 *     [--rounds 150] [--no-plain] [--wait-quiet 600] [--out results/benchmarks/torch-export.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootstrapRatioCI, environmentFingerprint, summarize, type LatencyStats } from '@mvbench/runner-core';
import { interleaved, ortVersion, type Arm, type Level } from './interleave.ts';
import { matmulArtifact, MATMUL_N } from './matmul.ts';
import { computeNodes, ourModel, torchExport, torchExported } from './models.ts';
import { otherLoad, waitQuiet } from './quiet.ts';
import { num } from '../args.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: a } = parseArgs({
  options: {
    models: { type: 'string' },
    threads: { type: 'string', default: '1,2' },
    levels: { type: 'string', default: 'all,basic' },
    rounds: { type: 'string', default: '150' },
    'no-plain': { type: 'boolean', default: false },
    'wait-quiet': { type: 'string', default: '600' },
    out: { type: 'string', default: 'results/benchmarks/torch-export.json' },
  },
});
const ROUNDS = num(a, 'rounds');

async function matmulGflops(threads: number, level: Level): Promise<number> {
  const arm: Arm = { label: 'matmul', artifact: matmulArtifact(), samples: [] };
  await interleaved([arm], threads, level, ROUNDS);
  return (2 * MATMUL_N ** 3) / (summarize(arm.samples).median / 1000) / 1e9;
}

const brief = (s: LatencyStats) => ({ median: s.median, ciLow: s.ciLow, ciHigh: s.ciHigh, p10: s.p10, p90: s.p90, n: s.n });

const waited = await waitQuiet(num(a, 'wait-quiet'));
const loadBefore = os.loadavg()[0];
const probe = otherLoad();
const rows = [];
const models = a.models?.split(',') ?? torchExported();
const prepared = new Map(models.map((m) => [m, { opt: ourModel(m, true), plain: ourModel(m, false) }]));
for (const threads of a.threads.split(',').map(Number))
  for (const level of a.levels.split(',') as Level[]) {
    const peak = await matmulGflops(threads, level);
    for (const model of models) {
      const { opt, plain } = prepared.get(model)!;
      const arms: Arm[] = [
        { label: 'torch', artifact: torchExport(model), samples: [] },
        { label: 'ours', artifact: opt.artifact, samples: [] },
        ...(a['no-plain'] ? [] : [{ label: 'plain', artifact: plain.artifact, samples: [] }]),
      ];
      await interleaved(arms, threads, level, ROUNDS);
      const [torch, ours, pl] = arms.map((x) => summarize(x.samples));
      const ratio = bootstrapRatioCI(arms[1].samples, arms[0].samples);
      const gflops = (2 * opt.info!.macs) / (ours.median / 1000) / 1e9;
      rows.push({
        model, threads, level, macs: opt.info!.macs,
        nodes: { torch: computeNodes(arms[0].artifact.onnx), ours: opt.graph.nodes.length, plain: plain.graph.nodes.length },
        torch: brief(torch), ours: brief(ours), ...(pl && { plain: brief(pl) }),
        ratio: { value: ratio.ratio, low: ratio.low, high: ratio.high, level: ratio.level },
        ...(pl && { plainRatio: bootstrapRatioCI(arms[2].samples, arms[0].samples) }),
        gflops, matmulGflops: peak, peakShare: gflops / peak,
        samples: Object.fromEntries(arms.map((x) => [x.label, x.samples])),
      });
      const r = rows.at(-1)!;
      console.error(`${model} ${threads}t ${level}: torch ${torch.median.toFixed(2)} ms, ours ${ours.median.toFixed(2)} ms, ratio ${r.ratio.value.toFixed(3)} [${r.ratio.low.toFixed(3)}, ${r.ratio.high.toFixed(3)}]`);
    }
  }
const load = { loadavgBefore: loadBefore, loadavgAfter: os.loadavg()[0], otherCpuShare: probe(), waitedS: waited };

const f = (x: number, d = 2) => x.toFixed(d);
const table = [
  '| model | threads | level | torch ms [95% CI] | ours ms [95% CI] | ours / torch [95% CI] | plain / torch | ours GFLOP/s | share of MatMul GFLOP/s |',
  '|---|---:|---|---|---|---|---:|---:|---:|',
  ...rows.map((r) =>
    `| ${r.model} | ${r.threads} | ${r.level} | ${f(r.torch.median)} [${f(r.torch.ciLow)}, ${f(r.torch.ciHigh)}] | ` +
    `${f(r.ours.median)} [${f(r.ours.ciLow)}, ${f(r.ours.ciHigh)}] | **${f(r.ratio.value, 3)}** [${f(r.ratio.low, 3)}, ${f(r.ratio.high, 3)}] | ` +
    `${r.plainRatio ? f(r.plainRatio.ratio, 3) : '-'} | ${f(r.gflops, 1)} | ${f(100 * r.peakShare, 1)}% (of ${f(r.matmulGflops, 0)}) |`),
].join('\n');
console.log(table);
console.log(`\n${ROUNDS} interleaved rounds per setting; load average ${f(load.loadavgBefore)} before, ${f(load.loadavgAfter)} after; ` +
  `other processes used ${f(100 * load.otherCpuShare, 1)}% of the CPUs during the run.`);
const out = path.resolve(root, a.out);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ rounds: ROUNDS, load, environment: environmentFingerprint(root), onnxruntime: ortVersion, spinning: false, rows }, null, 1) + '\n');
console.log(`wrote ${path.relative(process.cwd(), out)}`);
