import type { Command } from 'commander';
import { fixtureInput } from '@mvbench/runner-core';
import { prepareModel } from '@mvbench/pipeline';
import { topK } from '@mvbench/pipeline';
import { loadImage, preprocessingFor } from '@mvbench/data';
import { userError } from '@mvbench/core';
import { FAMILIES, parseSpec } from '@mvbench/dsl';
import type { PreparedModel } from '@mvbench/pipeline';
import { RUNNERS } from '@mvbench/cell';
import { integer, printJson, table } from './output.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('<model>', 'model spec or .onnx file')
    .option('--weights <file.safetensors>', 'checkpoint for a model spec')
    .option('--runner <id>', 'runner to execute on', 'ort-node:cpu')
    .option('--threads <n>', 'intra-op threads', integer(1, 64), 1)
    .option('--seed <n>', 'seed of the synthetic input (the parity fixtures use 12345)', integer(0), 12345)
    .option('--image <file...>', "classify these images (JPEG, PNG, WebP) with the family's reference preprocessing instead")
    .option('--preprocess <family|id>', 'preprocessing for --image when the model is an .onnx file (default: the spec\'s family)')
    .option('--json', 'machine-readable output')
    .description('one inference on a seeded synthetic input, or one per --image; prints the top-5 classes')
    .action(async (spec: string, opts: RunFlags) => {
      const model = prepareModel(spec, { weights: opts.weights });
      const runner = await RUNNERS.create(opts.runner);
      try {
        const prepared = await runner.prepare(model.artifact, { threads: opts.threads });
        const input = model.artifact.inputs[0];
        const results = [];
        for (const [name, feed] of await inputsFor(model, opts)) {
          const logits = (await runner.run(prepared, { [input.name]: feed }))[model.artifact.outputs[0].name].data;
          results.push({ input: name, top5: topK(logits, 5).map((i) => ({ index: i, logit: logits[i] })) });
        }
        if (opts.json) return printJson({ model: model.artifact.id, runner: runner.id, settings: prepared.settingsUsed, ...(opts.image ? { images: results } : { top5: results[0].top5 }) });
        console.log(`${model.artifact.id} on ${runner.id} (${prepared.settingsUsed.threads} thread(s))`);
        for (const r of results) {
          if (opts.image) console.log(`\n${r.input}`);
          console.log(table(r.top5.map((t, k) => [k + 1, t.index, t.logit.toPrecision(6)]), ['rank', 'class', 'logit']));
        }
      } finally {
        await runner.dispose();
      }
    });
}

interface RunFlags {
  weights?: string;
  runner: string;
  threads: number;
  seed: number;
  image?: string[];
  preprocess?: string;
  json?: boolean;
}

/** the seeded input, or each image preprocessed for the model's family at its input size */
async function inputsFor(model: PreparedModel, opts: RunFlags): Promise<[string, Float32Array][]> {
  const shape = model.artifact.inputs[0].shape;
  if (!opts.image) return [['seeded input', fixtureInput(shape, opts.seed)]];
  // --preprocess names a family or any model spec of it; a spec model brings its own family
  const recipe = opts.preprocess ? (FAMILIES.find((f) => f.name === opts.preprocess)?.name ?? parseSpec(opts.preprocess).family.name) : model.built?.spec.family.name;
  if (!recipe) throw userError('BAD_ARGUMENT', `--image with an .onnx model needs --preprocess <family|id> (how its images were normalised)`);
  if (shape.length !== 4 || shape[0] !== 1 || shape[2] !== shape[3]) throw userError('BAD_ARGUMENT', `--image needs a model input of shape [1, 3, R, R], got [${shape}]`);
  const prep = preprocessingFor(recipe, shape[2]);
  return Promise.all(opts.image.map(async (file) => [file, await loadImage(file, prep)] as [string, Float32Array]));
}
