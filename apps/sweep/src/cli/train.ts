import type { Command } from 'commander';
import { proxyTrain } from '../accuracy/proxy.ts';
import { createCounter, type Counter } from './counter.ts';
import { printJson, table } from './output.ts';

interface TrainFlags {
  data: string;
  resolution: string;
  epochs: string;
  batch: string;
  lr?: string;
  trainImages?: string;
  testImages?: string;
  classes?: string;
  seed: string;
  save?: string;
  json?: boolean;
}

const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export function registerTrain(program: Command): void {
  program
    .command('train')
    .argument('<spec>', 'model spec, e.g. mobilevitv2_050:attention=additive')
    .option('--data <dir|synthetic>', 'proxy task: "synthetic" (built in, offline) or a dataset directory (CIFAR-10 binary, ImageFolder, ...)', 'synthetic')
    .option('--resolution <px>', 'input side the model is rebuilt at for training', '64')
    .option('--epochs <n>', 'passes over the training images', '5')
    .option('--batch <n>', 'images per step', '32')
    .option('--lr <x>', 'peak learning rate of AdamW (cosine schedule after a short warm-up)', '0.002')
    .option('--train-images <n>', 'training images (default 2,000, spread over the dataset)')
    .option('--test-images <n>', 'held-out images (default 500)')
    .option('--classes <k>', 'synthetic only: use its first k classes (2..10)')
    .option('--seed <n>', 'seed of the initialisation, the image subset and every epoch order', '0')
    .option('--save <file.safetensors>', 'write the trained weights (checkpoint names), e.g. for mvbench eval')
    .option('--json', 'machine-readable output')
    .description('train briefly with TensorFlow.js (wasm) on a proxy task and report held-out top-1 (deterministic for a seed)')
    .action(async (spec: string, f: TrainFlags) => {
      let load: Counter | undefined, steps: Counter | undefined;
      try {
        const r = await proxyTrain({
          spec, data: f.data, resolution: Number(f.resolution), epochs: Number(f.epochs), batch: Number(f.batch), lr: Number(f.lr),
          trainImages: int(f.trainImages), testImages: int(f.testImages), classes: int(f.classes), seed: Number(f.seed), save: f.save,
          onLoad: (n, total) => (load ??= createCounter('loading', total, 'images', !f.json)).update(n),
          onStep: (step, total, loss) => {
            load?.stop();
            (steps ??= createCounter('training', total, 'steps', !f.json)).update(step, `loss ${loss.toFixed(3)}`);
          },
        });
        steps?.stop();
        if (f.json) return printJson(r);
        console.log(`${r.trained} on ${r.dataset}: ${r.trainImages} training, ${r.testImages} held-out images, seed ${r.seed}`);
        console.log(table(r.epochs.map((e) => [e.epoch + 1, e.loss.toFixed(4), `${(100 * e.accuracy).toFixed(1)} %`, e.imagesPerSecond.toFixed(1)]), ['epoch', 'train loss', 'train top-1', 'images/s']));
        console.log(`\nheld-out top-1 ${r.top1.toFixed(2)} % (chance ${r.chance.toFixed(1)} %), top-5 ${r.top5.toFixed(2)} %, ${r.seconds.toFixed(1)} s`);
        if (f.save) console.log(`wrote the trained weights to ${f.save}`);
      } finally {
        load?.stop();
        steps?.stop();
      }
    });
}
