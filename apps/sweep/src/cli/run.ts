import type { Command } from 'commander';
import { fixtureInput } from '@mvbench/runner-core';
import { prepareModel } from '@mvbench/pipeline';
import { topK } from '@mvbench/pipeline';
import { createRunner } from '../runners.ts';
import { printJson, table } from './output.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('<model>', 'model spec or .onnx file')
    .option('--weights <file.safetensors>', 'checkpoint for a model spec')
    .option('--runner <id>', 'runner to execute on', 'ort-node:cpu')
    .option('--threads <n>', 'intra-op threads', '1')
    .option('--seed <n>', 'seed of the synthetic input (the parity fixtures use 12345)', '12345')
    .option('--json', 'machine-readable output')
    .description('one inference on a seeded synthetic input; prints the top-5 classes')
    .action(async (spec: string, opts: { weights?: string; runner: string; threads: string; seed: string; json?: boolean }) => {
      const model = prepareModel(spec, { weights: opts.weights });
      const runner = createRunner(opts.runner);
      try {
        const prepared = await runner.prepare(model.artifact, { threads: Number(opts.threads) });
        const input = model.artifact.inputs[0];
        const out = await runner.run(prepared, { [input.name]: fixtureInput(input.shape, Number(opts.seed)) });
        const logits = out[model.artifact.outputs[0].name].data;
        const top5 = topK(logits, 5).map((i) => ({ index: i, logit: logits[i] }));
        if (opts.json) return printJson({ model: model.artifact.id, runner: runner.id, settings: prepared.settingsUsed, top5 });
        console.log(`${model.artifact.id} on ${runner.id} (${prepared.settingsUsed.threads} thread(s))`);
        console.log(table(top5.map((t, k) => [k + 1, t.index, t.logit.toPrecision(6)]), ['rank', 'class', 'logit']));
      } finally {
        await runner.dispose();
      }
    });
}
