/**
 * Foundation speed targets: `mvbench info` on any model under 1 s, building and emitting mobilevitv2_200 under 2 s.
 * In-process times (median of repeats, per canonical model) of what the commands run (prepareModel: build, optimise,
 * and for emit the ONNX bytes) and the whole CLI command as a user runs it.
 *   pnpm tsx benchmarks/foundation/speed.ts [--repeats 5]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canonicalIds } from '@mvbench/dsl';
import { prepareModel } from '@mvbench/pipeline';
import { argNum } from '../args.ts';

const repeats = argNum('--repeats', 5, { integer: true, min: 1 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

const rows: [string, number, number][] = [];
for (const id of canonicalIds()) {
  const info = median(Array.from({ length: repeats }, () => time(() => prepareModel(id, { emit: false }))));
  const emit = median(Array.from({ length: repeats }, () => time(() => prepareModel(id))));
  rows.push([id, info, emit]);
}
console.log('model               info ms   build+emit ms   (median of %d, in-process)', repeats);
for (const [id, info, emit] of rows) console.log(`${id.padEnd(18)} ${info.toFixed(1).padStart(8)} ${emit.toFixed(1).padStart(14)}`);

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (args: string[]) => time(() => execFileSync(`${root}node_modules/.bin/tsx`, [`${root}apps/sweep/src/main.ts`, ...args], { stdio: 'ignore' }));
const infoCli = median(Array.from({ length: repeats }, () => cli(['info', 'mobilevitv2_200', '--json'])));
const emitCli = median(Array.from({ length: repeats }, () => cli(['emit', 'mobilevitv2_200', '-o', '/tmp/mvbench-speed.onnx'])));
const worstInfo = Math.max(...rows.map((r) => r[1]));
const v2 = rows.find((r) => r[0] === 'mobilevitv2_200')!;
console.log(`\nCLI (process start included): info mobilevitv2_200 ${infoCli.toFixed(0)} ms, emit mobilevitv2_200 ${emitCli.toFixed(0)} ms`);
console.log(`target info < 1000 ms: worst in-process ${worstInfo.toFixed(1)} ms, CLI ${infoCli.toFixed(0)} ms -> ${infoCli < 1000 ? 'met' : 'MISSED'}`);
console.log(`target build+emit mobilevitv2_200 < 2000 ms: in-process ${v2[2].toFixed(0)} ms, CLI ${emitCli.toFixed(0)} ms -> ${emitCli < 2000 ? 'met' : 'MISSED'}`);
