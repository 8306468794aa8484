import type { Command } from 'commander';
import { writeFileAtomic } from '@mvbench/results';
import { prepareModel } from '@mvbench/pipeline';
import { fmtInt, integer, printJson } from './output.ts';

export function registerEmit(program: Command): void {
  program
    .command('emit')
    .argument('<spec>', 'model spec')
    .requiredOption('-o, --out <file.onnx>', 'where to write the ONNX model')
    .option('--weights <file.safetensors>', 'checkpoint with the reference state_dict names (default: seeded initialisation)')
    .option('--seed <n>', 'seed of the initialisation when no weights are given', integer(0), 0)
    .option('--optimize', 'emit the inference-optimised graph: BatchNorm and affines folded into convs, fewer layout nodes (default)')
    .option('--no-optimize', 'emit the plain graph, node for node as the model is written (the goldens pin this one)')
    .option('--json', 'machine-readable output')
    .description('write the model as an ONNX file (opset 17)')
    .action((spec: string, opts: { out: string; weights?: string; seed: number; optimize?: boolean; json?: boolean }) => {
      const optimize = opts.optimize !== false;
      const m = prepareModel(spec, { weights: opts.weights, seed: opts.seed, optimize });
      writeFileAtomic(opts.out, m.onnx);
      const summary = { spec: m.artifact.id, file: opts.out, bytes: m.onnx.length, nodes: m.graph.nodes.length, optimized: optimize, weights: opts.weights ?? null };
      if (opts.json) return printJson(summary);
      console.log(`wrote ${opts.out}: ${summary.spec}, ${fmtInt(summary.bytes)} bytes, ${summary.nodes} nodes${optimize ? ' (optimised)' : ''}`);
    });
}
