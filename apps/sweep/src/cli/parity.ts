import type { Command } from 'commander';
import { checkParity, readFixture } from '@mvbench/pipeline';
import { RUNNERS } from '@mvbench/cell';
import { integer, printJson } from './output.ts';

export function registerParity(program: Command): void {
  program
    .command('parity')
    .argument('<spec>', 'model spec, e.g. mobilevit_xxs')
    .requiredOption('--weights <file.safetensors>', 'reference checkpoint (state_dict names)')
    .requiredOption('--expect <file.json>', 'parity record with the input recipe and the expected logits')
    .option('--runner <id>', 'runner to execute on', 'ort-node:cpu')
    .option('--threads <n>', 'intra-op threads', integer(1, 64), 1)
    .option('--json', 'machine-readable output')
    .description('check that the emitted model reproduces reference logits (exit 0 only within tolerance)')
    .action(async (spec: string, opts: { weights: string; expect: string; runner: string; threads: number; json?: boolean }) => {
      const runner = await RUNNERS.create(opts.runner);
      try {
        const r = await checkParity(spec, { weights: opts.weights, fixture: readFixture(opts.expect), runner, threads: opts.threads });
        if (opts.json) printJson(r);
        else {
          console.log(`${r.spec} on ${r.runner}`);
          console.log(`  max |diff|  ${r.maxAbsDiff.toExponential(3)}  (tolerance ${r.tolerance.toExponential(3)} = 1e-4 x max|logit| ${r.maxAbsExpected.toPrecision(4)})`);
          console.log(`  top-5       ${r.top5.join(' ')}  expected ${r.expectedTop5.join(' ')}  ${r.top5Match ? 'identical' : 'DIFFERENT'}`);
          console.log(r.pass ? 'PASS' : 'FAIL');
        }
        process.exitCode = r.pass ? 0 : 1;
      } finally {
        await runner.dispose();
      }
    });
}
