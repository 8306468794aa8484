import { Option, type Command } from 'commander';
import { userError } from '@mvbench/core';
import { ZERO_COST_PROXIES } from '@mvbench/plan';
import { zeroCost, type ZeroCostProxy } from '@mvbench/accuracy';
import { integer, printJson, table } from './output.ts';

interface ScoreFlags {
  proxy: string;
  resolution: number;
  batch: number;
  seed: number;
  data: string;
  json?: boolean;
  device: 'wasm' | 'node';
}

export function registerScore(program: Command): void {
  program
    .command('score')
    .argument('<spec...>', 'one or more model specs')
    .option('--proxy <names>', `comma-separated zero-cost proxies: ${ZERO_COST_PROXIES.join(', ')}, or all`, 'all')
    .option('--resolution <px>', 'input side the model is rebuilt at', integer(32, 2048), 64)
    .option('--batch <n>', 'images in the scoring batch', integer(2, 1024), 16)
    .option('--seed <n>', 'seed of the initialisation and the batch', integer(0), 0)
    .option('--data <dir|synthetic>', 'where the batch comes from (synflow needs none)', 'synthetic')
    .addOption(new Option('--device <backend>', 'TensorFlow.js backend: wasm, or node (TensorFlow\'s C library, after pnpm setup:tfjs-node)').choices(['wasm', 'node']).default('wasm'))
    .option('--json', 'machine-readable output')
    .description('training-free scores at initialisation (synflow, grad_norm, snip, naswot): rankings in seconds, not accuracies')
    .action(async (specs: string[], f: ScoreFlags) => {
      const proxies = f.proxy === 'all' ? [...ZERO_COST_PROXIES] : f.proxy.split(',').map((p) => p.trim());
      const bad = proxies.filter((p) => !(ZERO_COST_PROXIES as readonly string[]).includes(p));
      if (bad.length) throw userError('BAD_ARGUMENT', `--proxy: unknown proxy ${bad.map((b) => `'${b}'`).join(', ')}; known: ${ZERO_COST_PROXIES.join(', ')}, all`);
      const results = [];
      for (const spec of specs)
        for (const proxy of proxies as ZeroCostProxy[])
          results.push(await zeroCost({ spec, proxy, resolution: f.resolution, batch: f.batch, seed: f.seed, data: f.data, device: f.device }));
      if (f.json) return printJson(results);
      console.log(table(results.map((r) => [r.spec, r.proxy, r.score === null ? `- (${r.error})` : r.score.toPrecision(6), `${r.seconds.toFixed(1)} s`]), ['spec', 'proxy', 'score', 'time']));
      console.log(`\nat ${f.resolution} px, batch ${f.batch}, seed ${f.seed}; zero-cost scores rank architectures at initialisation, they are not accuracies`);
    });
}
