import type { Command } from 'commander';
import { buildModel, modelInfo } from '@mvbench/dsl';
import { fmtInt, printJson, table } from './output.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .argument('<spec>', 'model spec, e.g. mobilevit_xxs:patch=B')
    .description('parameters, MACs, shapes and op histogram of a model, without running it')
    .option('--json', 'machine-readable output (top-level params and macs)')
    .action((spec: string, opts: { json?: boolean }) => {
      const info = modelInfo(buildModel(spec));
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
        ]),
      );
      console.log('\n' + table(info.stages.map((s) => [s.name, JSON.stringify(s.shape)]), ['stage', 'output shape']));
      console.log('\n' + table(Object.entries(info.ops), ['op', 'count']));
    });
}
