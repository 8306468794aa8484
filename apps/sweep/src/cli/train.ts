import { Option, type Command } from 'commander';
import { ensureWritable } from '@mvbench/results';
import { proxyTrain } from '@mvbench/accuracy';
import { createCounter, type Counter } from './counter.ts';
import { integer, positive, printJson, table } from './output.ts';

interface TrainFlags {
  data: string;
  resolution: number;
  epochs: number;
  batch: number;
  lr: number;
  trainImages?: number;
  testImages?: number;
  classes?: number;
  calibrationImages: number;
  seed: number;
  save?: string;
  json?: boolean;
  device: 'wasm' | 'node';
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .argument('<spec>', 'model spec, e.g. mobilevitv2_050:attention=additive')
    .option('--data <dir|synthetic>', 'proxy task: "synthetic" (built in, offline) or a dataset directory (CIFAR-10 binary, ImageFolder, ...)', 'synthetic')
    .option('--resolution <px>', 'input side the model is rebuilt at for training', integer(32, 2048), 64)
    .option('--epochs <n>', 'passes over the training images', integer(1, 1000), 5)
    .option('--batch <n>', 'images per step', integer(2, 1024), 32)
    .option('--lr <x>', 'peak learning rate of AdamW (cosine schedule after a warm-up over a fifth of the steps, at most 50)', positive, 0.002)
    .option('--train-images <n>', 'training images (default 2,000, spread over the dataset)', integer(1))
    .option('--test-images <n>', 'held-out images (default 500)', integer(1))
    .option('--classes <k>', 'synthetic only: use its first k classes', integer(2, 10))
    .option('--calibration-images <n>', 'training images whose batch statistics replace BatchNorm\'s running ones before testing (0: none)', integer(0), 256)
    .option('--seed <n>', 'seed of the initialisation, the image subset and every epoch order', integer(0), 0)
    .addOption(new Option('--device <backend>', 'TensorFlow.js backend: wasm, or node (TensorFlow\'s C library, after pnpm setup:tfjs-node)').choices(['wasm', 'node']).default('wasm'))
    .option('--save <file.safetensors>', 'write the trained weights (checkpoint names), e.g. for mvbench eval')
    .option('--json', 'machine-readable output')
    .description('train briefly with TensorFlow.js (wasm, or tfjs-node with --device node) on a proxy task and report held-out top-1 (deterministic for a seed)')
    .action(async (spec: string, f: TrainFlags) => {
      if (f.save) ensureWritable(f.save, 'weights file (--save)');
      let load: Counter | undefined, steps: Counter | undefined;
      try {
        const r = await proxyTrain({
          spec, data: f.data, resolution: f.resolution, epochs: f.epochs, batch: f.batch, lr: f.lr,
          trainImages: f.trainImages, testImages: f.testImages, classes: f.classes, calibrationImages: f.calibrationImages, seed: f.seed, save: f.save, device: f.device,
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
