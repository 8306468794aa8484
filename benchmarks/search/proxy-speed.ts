/**
 * Throughput of the search's proxy trainings (proxyAccuracy: a child process each, as `mvbench search` runs them) at
 * the first rung's settings: two candidates one after the other (one core) and both at once (two processes), on
 * tfjs-wasm and on tfjs-node (`--device node`). Each round runs the four phases in a rotated order; ratios are taken
 * within a round. Wall time includes process start, data, BatchNorm recalibration and testing: what a search waits for.
 *   pnpm tsx benchmarks/search/proxy-speed.ts [--rounds 3] [--images 512] [--devices wasm,node]
 * Prints a markdown table and writes results/benchmarks/search-proxy-speed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { parseSpec } from '@mvbench/dsl';
import { proxyAccuracy } from '@mvbench/search';
import { DEVICES } from '@mvbench/plan';
import { num, spread, usageError } from '../args.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, images: { type: 'string', default: '512' }, devices: { type: 'string', default: 'wasm,node' } } });
const ROUNDS = num(values, 'rounds', { integer: true, min: 1 });
const IMAGES = num(values, 'images', { integer: true, min: 16 });
const devices = values.devices!.split(',').map((d) => DEVICES.find((k) => k === d) ?? usageError(`--devices: '${d}' is not a device; devices: ${DEVICES.join(', ')}`));
const SPECS = ['mobilevitv2_050', 'swiftformer_xs'].map((s) => parseSpec(s));
const SETTINGS = { resolution: 64, epochs: 1, trainImages: IMAGES, batch: 16 };
const TEST_IMAGES = 200;
type Phase = { device: (typeof DEVICES)[number]; parallel: boolean };
const phases: Phase[] = devices.flatMap((device) => [{ device, parallel: false }, { device, parallel: true }]);

async function timed({ device, parallel }: Phase): Promise<{ seconds: number; imagesPerSecond: number; loadBefore: number }> {
  const accuracy = proxyAccuracy({ data: 'synthetic', fidelities: [SETTINGS], testImages: TEST_IMAGES, seed: 0, timeoutS: 1800, device });
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const results = parallel ? await Promise.all(SPECS.map((s) => accuracy(s, 0))) : [await accuracy(SPECS[0], 0), await accuracy(SPECS[1], 0)];
  const failed = results.find((r) => r.value === null);
  if (failed) throw new Error(`a training on ${device} failed: ${failed.error}`);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, imagesPerSecond: (SPECS.length * IMAGES) / seconds, loadBefore };
}
const name = (p: Phase) => `${p.device} ${p.parallel ? 'two at once' : 'one at a time'}`;
const rounds: Record<string, Awaited<ReturnType<typeof timed>>>[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const round: Record<string, Awaited<ReturnType<typeof timed>>> = {};
  for (let i = 0; i < phases.length; i++) {
    const p = phases[(i + r) % phases.length];
    round[name(p)] = await timed(p);
    console.error(`round ${r + 1}: ${name(p)} ${round[name(p)].imagesPerSecond.toFixed(1)} images/s (load average before ${round[name(p)].loadBefore.toFixed(1)})`);
  }
  rounds.push(round);
}
const perPhase = Object.fromEntries(phases.map((p) => [name(p), spread(rounds.map((r) => r[name(p)].imagesPerSecond))]));
const ratio = (a: string, b: string) => (rounds.every((r) => r[a] && r[b]) ? spread(rounds.map((r) => r[a].imagesPerSecond / r[b].imagesPerSecond)) : undefined);
const ratios = Object.fromEntries([...devices.map((d) => [`${d}: two at once / one at a time`, `${d} two at once`, `${d} one at a time`]),
  ...['two at once', 'one at a time'].map((w) => [`${w}: node / wasm`, `node ${w}`, `wasm ${w}`])].map(([k, a, b]) => [k, ratio(a, b)]));
const summary = {
  env: { node: process.version, cpu: cpus()[0]?.model.trim(), cores: cpus().length, date: new Date().toISOString() },
  settings: { specs: SPECS.map((s) => s.spec), ...SETTINGS, testImages: TEST_IMAGES, devices }, rounds, imagesPerSecond: perPhase, ratios,
  // the 1-minute load average includes our own trainings: above ~1.5 before every phase of a round, other processes ran
  competing: rounds.some((r) => Math.min(...Object.values(r).map((t) => t.loadBefore)) > 1.5),
};
console.log('| images/s, or a ratio within a round | median | min | max |\n|---|---|---|---|');
for (const [k, v] of [...Object.entries(perPhase), ...Object.entries(ratios)]) if (v) console.log(`| ${k} | ${v.median.toFixed(2)} | ${v.min.toFixed(2)} | ${v.max.toFixed(2)} |`);
console.log(`\n${ROUNDS} rounds; other processes competed: ${summary.competing}`);
mkdirSync('results/benchmarks', { recursive: true });
writeFileSync('results/benchmarks/search-proxy-speed.json', JSON.stringify(summary, null, 2) + '\n');
