import { Option, type Command } from 'commander';
import { evaluate, type EvalOptions, type EvalResult } from '@mvbench/accuracy';
import { RUNNERS } from '@mvbench/cell';
import { createCounter, type Counter } from './counter.ts';
import { integer, printJson, table } from './output.ts';

/** the options of evaluate() as the command line gives them (runners as ids) */
type EvalFlags = Omit<EvalOptions, 'spec' | 'runners' | 'onProgress'> & { runner: string; json?: boolean };

export function registerEval(program: Command): void {
  program
    .command('eval')
    .argument('<spec>', 'model spec, e.g. mobilevitv2_075')
    .option('--weights <file.safetensors>', 'checkpoint with the reference state_dict names (its classifier decides the number of classes)')
    .requiredOption('--data <dir>', 'labelled images: an ImageFolder tree, a flat folder with a labels file, a CIFAR-10 binary folder, or "synthetic"')
    .addOption(new Option('--layout <kind>', 'dataset layout (default: told by the directory)').choices(['image-folder', 'imagenet-val', 'cifar10', 'synthetic']))
    .option('--labels <file>', 'flat layout: lines "<file> <label>" or LOC_val_solution.csv')
    .option('--class-names <file>', "the model's class names in output order, one a line (maps folder names and named labels to outputs)")
    .addOption(new Option('--split <split>', 'cifar10 and synthetic').choices(['train', 'test']).default('test'))
    .option('--runner <ids>', 'runner(s) to execute on, comma-separated: one result each (--json: an array when several)', 'ort-node:cpu')
    .option('--threads <n>', 'intra-op threads', integer(1, 64), 1)
    .option('--batch <n>', 'images per inference', integer(1, 1024), 8)
    .option('--limit <n>', 'evaluate n images spread evenly over the dataset', integer(1))
    .option('--json', 'machine-readable output')
    .description("top-1/top-5 on a labelled dataset with the family's reference preprocessing (resize, centre crop, normalisation)")
    .action(async (spec: string, f: EvalFlags) => {
      const runners = await Promise.all(f.runner.split(',').map((r) => RUNNERS.create(r.trim())));
      let bar: Counter | undefined; // created once the dataset's size is known
      let results: EvalResult[];
      try {
        const { runner: _ids, json: _json, ...options } = f;
        results = await evaluate({
          spec, ...options, runners,
          onProgress: (done, total) => (bar ??= createCounter('eval', total, 'images', !f.json)).update(done),
        });
      } finally {
        bar?.stop();
        for (const r of runners) await r.dispose();
      }
      if (f.json) return printJson(results.length === 1 ? results[0] : results);
      for (const r of results) {
        console.log(`${r.spec} on ${r.runner} (${r.settings.threads} thread(s)), ${r.dataset}`);
        console.log(table([
          ['images', String(r.images)],
          ['top-1', `${r.top1.toFixed(2)} % (${r.correct1})`],
          ['top-5', `${r.top5.toFixed(2)} % (${r.correct5})`],
          ['inference', `${r.imagesPerSecond.toFixed(1)} images/s`],
          ['preprocessing', r.preprocessing],
        ]));
        console.log('');
      }
      const skipped = results[0].skipped;
      if (skipped.length) {
        console.log(`${skipped.length} image(s) could not be read and are not counted:`);
        for (const s of skipped.slice(0, 20)) console.log(`  ${s.file}: ${s.reason}`);
      }
    });
}
