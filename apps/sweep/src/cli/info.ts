import type { Command } from 'commander';
import { prepareModel } from '@mvbench/pipeline';
import { fmtInt, printJson, table } from './output.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .argument('<spec>', 'model spec, e.g. mobilevit_xxs:patch=B')
    .description('parameters, MACs, shapes and op histogram of a model, without running it')
    .option('--json', 'machine-readable output (top-level params and macs; nodes and nodesOptimized)')
    .action((spec: string, opts: { json?: boolean }) => {
      const m = prepareModel(spec, { emit: false });
      const info = { ...m.info!, nodesOptimized: m.graph.nodes.length };
      if (opts.json) return printJson(info);
      console.log(`${info.spec}  (${info.family}${info.canonical ? ', canonical' : ''})`);
      console.log(
        table([
          ['params', fmtInt(info.params)],
          ['params without classifier', fmtInt(info.paramsWithoutClassifier)],
          ['MACs (conv + matmul)', fmtInt(info.macs)],
          ['input', JSON.stringify(info.input)],
          ['output', JSON.stringify(info.output)],
          ['nodes', String(info.nodes)],
          ['nodes optimised (as emitted)', String(info.nodesOptimized)],
        ]),
      );
      console.log('\n' + table(info.stages.map((s) => [s.name, JSON.stringify(s.shape)]), ['stage', 'output shape']));
      console.log('\n' + table(Object.entries(info.ops), ['op', 'count']));
    });
}
