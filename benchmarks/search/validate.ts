/**
 * Does the search beat random search? NSGA-II and the random baseline with the same settings, budget and seeds
 * (mvbench search's own path: latency measured through the cell engine, proxy accuracy by successive halving), then
 * each run's final hypervolume against one reference point for all runs (the latency limit or 1.1x the slowest
 * feasible candidate of any run, 0 % top-1). Runs take turns (seed 0 nsga2, seed 0 random, seed 1 ...) so a machine
 * that other processes load moves both methods.
 *   pnpm tsx benchmarks/search/validate.ts [--seeds 3] [--minutes 10] [--evaluations 40] [--population 8] [--space
 *     mobilevitv2,swiftformer] [--runner ort-node:cpu] [--max-latency 60] [--latency predicted|measured] [--device wasm|node]
 * With --latency predicted (the runner's committed predictor, the front measured) the methods compare on the same
 * deterministic latencies; `predictedHypervolume` uses predicted latencies only, which front measurement noise does not move.
 * Rows go to results/benchmarks/search-validation.jsonl (resumable: an interrupted run continues with the same
 * command, and a larger --evaluations continues every run); the summary to results/benchmarks/search.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { hypervolume } from '@mvbench/core';
import { DEFAULT_FIDELITIES, runArchitectureSearch, type Method, type SearchResult } from '@mvbench/search';
import { loadPredictorFor, predict, predictorName } from '@mvbench/predict';
import { defaultSpace } from '@mvbench/space';
import { parseSpec } from '@mvbench/dsl';
import { DEVICES } from '@mvbench/plan';
import { num, spread, str, usageError } from '../args.ts';

const { values } = parseArgs({
  options: { seeds: str('3'), minutes: str('10'), evaluations: str('40'), population: str('8'), space: str('mobilevitv2,swiftformer'), runner: str('ort-node:cpu'), 'max-latency': str(), latency: str('measured'), device: str('wasm') },
});
const seeds = num(values, 'seeds', { integer: true, min: 1 });
const minutes = num(values, 'minutes', { above: 0 });
const evaluations = num(values, 'evaluations', { integer: true, min: 2 });
const population = num(values, 'population', { integer: true, min: 2 });
const maxLatencyMs = values['max-latency'] === undefined ? undefined : num(values, 'max-latency', { above: 0 });
if (values.latency !== 'measured' && values.latency !== 'predicted') usageError(`--latency: '${values.latency}'; expected measured or predicted`);
const device = DEVICES.find((d) => d === values.device) ?? usageError(`--device: '${values.device}'; expected ${DEVICES.join(' or ')} (node: tfjs-node, after pnpm setup:tfjs-node)`);
const predictor = values.latency === 'predicted' ? loadPredictorFor('results/predictors', values.runner!, 1) : undefined;
if (values.latency === 'predicted' && !predictor) usageError(`--latency predicted: no committed predictor for ${values.runner} with 1 thread in results/predictors (build one: mvbench predictor build --runner ${values.runner} --threads 1)`);
const out = 'results/benchmarks/search-validation.jsonl';
mkdirSync('results/benchmarks', { recursive: true });

const runs: { seed: number; method: Method; result: SearchResult; loadBefore: number }[] = [];
for (let seed = 0; seed < seeds; seed++)
  for (const method of ['nsga2', 'random'] as const) {
    const loadBefore = loadavg()[0];
    const result = await runArchitectureSearch(
      {
        space: defaultSpace(values.space!.split(',')), method, seed, population, objectives: ['latency', 'accuracy'], constraints: { maxLatencyMs },
        runner: values.runner!, threads: 1, measureBudgetMs: 1000, budgetMs: minutes * 60_000, maxEvaluations: evaluations, workers: 2,
        predictor: predictor && predictorName(values.runner!, 1), anchors: [],
        proxy: { data: 'synthetic', fidelities: DEFAULT_FIDELITIES, testImages: 200, seed, timeoutS: 1800, device },
      },
      out, true, { log: (line) => console.error(`[${method} seed ${seed}] ${line}`), interrupted: () => {} },
      { predicted: predictor && (async (spec) => predict(predictor, spec)) },
    );
    runs.push({ seed, method, result, loadBefore });
  }

const feasible = runs.flatMap((r) => r.result.evaluations.filter((e) => e.complete && e.violation === 0));
const reference = [maxLatencyMs ?? 1.1 * Math.max(...feasible.map((e) => e.objectives[0])), 100];
const hv = (r: SearchResult) => hypervolume(r.front.map((e) => e.objectives), reference);
const predictedHv = (r: SearchResult) =>
  predictor && hypervolume(r.evaluations.filter((e) => e.complete).map((e) => [predict(predictor, parseSpec(e.candidate.spec)).ms, e.objectives[1]]), reference);
const byMethod = (m: Method, f: (r: SearchResult) => number | undefined = hv) => runs.filter((r) => r.method === m).map((r) => f(r.result)!);
const [evo, rnd, evoPredicted, rndPredicted] = [byMethod('nsga2'), byMethod('random'), byMethod('nsga2', predictedHv), byMethod('random', predictedHv)];
const predicted = predictor && { nsga2: spread(evoPredicted), random: spread(rndPredicted), nsga2WinsPerSeed: evoPredicted.filter((v, i) => v > rndPredicted[i]).length };
const summary = {
  command: `pnpm tsx benchmarks/search/validate.ts ${process.argv.slice(2).join(' ')}`.trim(),
  env: { node: process.version, cpu: cpus()[0]?.model.trim(), cores: cpus().length, date: new Date().toISOString() },
  settings: { seeds, minutes, evaluations, population, space: values.space, runner: values.runner, maxLatencyMs, latency: values.latency, device, fidelities: DEFAULT_FIDELITIES },
  reference,
  runs: runs.map((r) => ({ seed: r.seed, method: r.method, run: r.result.run, evaluations: r.result.evaluations.length, front: r.result.front.length, hypervolume: hv(r.result), predictedHypervolume: predictedHv(r.result), loadBefore: r.loadBefore })),
  nsga2: spread(evo),
  random: spread(rnd),
  nsga2WinsPerSeed: evo.filter((v, i) => v > rnd[i]).length,
  predicted,
  // the 1-minute load average counts our own trainings too: above ~2 before a run, other processes were running
  competing: runs.some((r) => r.loadBefore > 2),
};
console.log(`| method | hypervolume (median) | min | max |\n|---|---|---|---|`);
for (const m of ['nsga2', 'random'] as const) console.log(`| ${m} | ${summary[m].median.toPrecision(4)} | ${summary[m].min.toPrecision(4)} | ${summary[m].max.toPrecision(4)} |`);
if (predicted) console.log(`\non predicted latencies: NSGA-II ${predicted.nsga2.median.toPrecision(4)} (${predicted.nsga2.min.toPrecision(4)}-${predicted.nsga2.max.toPrecision(4)}), random ${predicted.random.median.toPrecision(4)} (${predicted.random.min.toPrecision(4)}-${predicted.random.max.toPrecision(4)}); NSGA-II ahead on ${predicted.nsga2WinsPerSeed} of ${seeds} seeds`);
console.log(`\nNSGA-II beat random search on ${summary.nsga2WinsPerSeed} of ${seeds} seeds; reference point ${reference.map((v) => v.toPrecision(4)).join(', ')}; other processes competed: ${summary.competing}`);
writeFileSync('results/benchmarks/search.json', JSON.stringify(summary, null, 2) + '\n');
