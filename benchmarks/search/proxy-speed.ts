/**
 * Throughput of the search's accuracy path (@mvbench/search's proxyAccuracy: one child process per training, as
 * `mvbench search` runs it): two candidates trained one after the other (one core) against both at once (two
 * processes on the 2 cores), at the cheapest fidelity's settings. Rounds alternate which goes first; the ratio is
 * taken within a round, so a machine that other processes load in between moves both sides. Wall time includes
 * process start, data loading and the held-out evaluation: what a search waits for.
 *   pnpm tsx benchmarks/search/proxy-speed.ts [--rounds 3] [--images 128]
 * Prints a markdown table and writes results/benchmarks/search-proxy-speed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseSpec } from '@mvbench/dsl';
import { proxyAccuracy } from '@mvbench/search';
import { argNum } from '../args.ts';

const ROUNDS = argNum('--rounds', 3, { integer: true, min: 1 });
const IMAGES = argNum('--images', 128, { integer: true, min: 8 });
const SPECS = ['mobilevitv2_050', 'swiftformer_xs'].map((s) => parseSpec(s));
const accuracy = proxyAccuracy({ data: 'synthetic', fidelities: [{ resolution: 64, epochs: 1, trainImages: IMAGES, batch: 32 }], testImages: 64, seed: 0, timeoutS: 1800 });

async function timed(parallel: boolean): Promise<{ seconds: number; imagesPerSecond: number; loadBefore: number }> {
  const loadBefore = loadavg()[0];
  const t0 = performance.now();
  const results = parallel ? await Promise.all(SPECS.map((s) => accuracy(s, 0))) : [await accuracy(SPECS[0], 0), await accuracy(SPECS[1], 0)];
  const failed = results.find((r) => r.value === null);
  if (failed) throw new Error(`a training failed: ${failed.error}`);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, imagesPerSecond: (SPECS.length * IMAGES) / seconds, loadBefore };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rounds: { one: Awaited<ReturnType<typeof timed>>; two: Awaited<ReturnType<typeof timed>>; ratio: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const first = r % 2 === 0 ? await timed(false) : await timed(true);
  const second = r % 2 === 0 ? await timed(true) : await timed(false);
  const [one, two] = r % 2 === 0 ? [first, second] : [second, first];
  rounds.push({ one, two, ratio: two.imagesPerSecond / one.imagesPerSecond });
  console.error(`round ${r + 1}: one at a time ${one.imagesPerSecond.toFixed(1)} images/s, two at once ${two.imagesPerSecond.toFixed(1)} images/s (x${rounds.at(-1)!.ratio.toFixed(2)}), load average before ${one.loadBefore.toFixed(1)} / ${two.loadBefore.toFixed(1)}`);
}
const ratios = rounds.map((r) => r.ratio);
const summary = {
  env: { node: process.version, cpu: cpus()[0]?.model.trim(), cores: cpus().length, date: new Date().toISOString() },
  settings: { specs: SPECS.map((s) => s.spec), resolution: 64, epochs: 1, trainImages: IMAGES, testImages: 64, batch: 32 },
  rounds,
  oneAtATime: { medianImagesPerSecond: median(rounds.map((r) => r.one.imagesPerSecond)) },
  twoAtOnce: { medianImagesPerSecond: median(rounds.map((r) => r.two.imagesPerSecond)) },
  ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
  // the 1-minute load average includes our own trainings: above ~2 before a phase, other processes were running
  competing: rounds.some((r) => Math.min(r.one.loadBefore, r.two.loadBefore) > 1.5),
};
console.log('| | images/s (median of rounds) |\n|---|---|');
console.log(`| one training at a time | ${summary.oneAtATime.medianImagesPerSecond.toFixed(1)} |`);
console.log(`| two at once (2 processes) | ${summary.twoAtOnce.medianImagesPerSecond.toFixed(1)} |`);
console.log(`\nratio two/one: median x${summary.ratio.median.toFixed(2)} (min ${summary.ratio.min.toFixed(2)}, max ${summary.ratio.max.toFixed(2)}) over ${ROUNDS} rounds; other processes competed: ${summary.competing}`);
mkdirSync('results/benchmarks', { recursive: true });
writeFileSync('results/benchmarks/search-proxy-speed.json', JSON.stringify(summary, null, 2) + '\n');
