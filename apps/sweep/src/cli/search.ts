import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { checkNumber, userError } from '@mvbench/core';
import { defaultSpace, parseSpace, type SearchSpace } from '@mvbench/space';
import { DEFAULT_FIDELITIES, DEFAULT_REDUCTION_FACTOR, OBJECTIVES, parseFidelities, runArchitectureSearch, type LatencyFn, type Method, type Objective, type SearchResult, type ZeroCostProxy } from '@mvbench/search';
import { loadPredictorFor, machineMismatch, predict, predictorName } from '@mvbench/predict';
import { probeRunners } from '@mvbench/cell';
import { environmentFingerprint } from '@mvbench/runner-core';
import { repoRoot } from '../paths.ts';
import { DEVICES, ZERO_COST_PROXIES } from '@mvbench/plan';
import { tfjsNodeMissing } from '@mvbench/runner-tfjs/node-install';
import { checkMachineClass, checkQueueUrl, searchOnQueue } from '@mvbench/queue';
import { integer, positive, printJson, table } from './output.ts';

interface SearchFlags {
  space: string;
  runner: string;
  threads: number;
  maxLatency?: number;
  maxParams?: number;
  maxMacs?: number;
  budget: number;
  evaluations?: number;
  method: Method;
  population: number;
  objectives: string;
  seed: number;
  data: string;
  testImages: number;
  workers: number;
  zeroCost?: string;
  anchors?: string;
  latency: string;
  measureMs: number;
  out: string;
  resume?: boolean;
  json?: boolean;
  fidelities?: string;
  reductionFactor: number;
  device: (typeof DEVICES)[number];
  queue?: string;
  machineClass: string;
  attempts: number;
  lockSeconds: number;
}

/** '45m', '90s', '1.5h' or minutes alone, through the checked number parser; in ms */
const duration = (v: string): number => {
  const unit = /[smh]$/.exec(v.trim())?.[0] ?? 'm';
  const r = checkNumber(v.trim().replace(/[smh]$/, ''), { above: 0 });
  if ('problem' in r) throw new InvalidArgumentError(`${r.problem}; expected a duration such as 45m, 90s or 1.5h`);
  return r.value * { s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
};

function spaceOf(text: string): SearchSpace {
  if (!text.endsWith('.json')) return defaultSpace(text.split(',').map((s) => s.trim()).filter(Boolean));
  if (!existsSync(text)) throw userError('FILE_NOT_FOUND', `search space file not found: ${text}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(text, 'utf8'));
  } catch (e) {
    throw userError('BAD_SPACE', `invalid search space ${text}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseSpace(data, text);
}

function objectivesOf(text: string): Objective[] {
  const names = text.split(',').map((s) => s.trim());
  for (const n of names)
    if (!OBJECTIVES.includes(n as Objective)) throw userError('BAD_ARGUMENT', `--objectives: unknown objective '${n}'; objectives: ${OBJECTIVES.join(', ')}`);
  if (names.length < 2 || names.length > 3 || new Set(names).size !== names.length)
    throw userError('BAD_ARGUMENT', `--objectives: give 2 or 3 distinct objectives (the hypervolume is computed in 2-D or 3-D), got '${text}'`);
  return names as Objective[];
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('multi-objective architecture search (NSGA-II, or random search as the baseline) for fast, accurate models under limits')
    .option('--space <families|file.json>', 'comma-separated families (their default spaces) or a space file (see README, Search)', 'mobilevitv2,swiftformer')
    .option('--runner <id>', 'runner that measures latency, e.g. ort-node:cpu, ort-web:wasm', 'ort-node:cpu')
    .option('--threads <n>', 'threads of the runner', integer(1, 64), 1)
    .option('--max-latency <ms>', 'latency limit (median, ms)', positive)
    .option('--max-params <n>', 'parameter limit, e.g. 3e6', positive)
    .option('--max-macs <n>', 'multiply-accumulate limit, e.g. 5e8', positive)
    .option('--budget <time>', 'total time, e.g. 45m, 90s, 1.5h (a resumed search counts the time its rows took; no training starts after it, those under way finish)', duration, 45 * 60_000)
    .option('--evaluations <n>', 'stop after this many candidates (besides the time budget)', integer(1))
    .option('--method <name>', 'nsga2 or random (the baseline)', 'nsga2')
    .option('--population <n>', 'candidates per generation', integer(2, 1000), 16)
    .option('--objectives <list>', `2 or 3 of ${OBJECTIVES.join(', ')}`, 'latency,accuracy')
    .option('--seed <n>', 'seed of the search and of every proxy training', integer(0), 0)
    .option('--data <dir|synthetic>', 'proxy task of the accuracy (see mvbench train)', 'synthetic')
    .option('--test-images <n>', 'held-out images of every proxy training', integer(1), 200)
    .option('--workers <n>', 'proxy trainings at once (child processes; latency is never measured beside them; with --queue: as many as the workers take)', integer(1, 16), 2)
    .option('--fidelities <json>', 'proxy training per fidelity, cheapest first, e.g. \'[{"resolution":64,"epochs":1,"trainImages":512,"batch":16}]\' (default: 3 rungs of 64, 128, 250 steps at 64 px)')
    .option('--reduction-factor <n>', 'successive halving trains the best 1/n of a rung (NSGA-II rank on latency and top-1) at the next fidelity', integer(2, 16), DEFAULT_REDUCTION_FACTOR)
    .addOption(new Option('--device <backend>', "TensorFlow.js backend of the proxy trainings: wasm, or node (TensorFlow's C library, faster; after pnpm setup:tfjs-node)").choices(DEVICES).default('wasm'))
    .option('--zero-cost <proxy>', `screen each generation with a zero-cost score before training, only the better half is trained: ${ZERO_COST_PROXIES.join(', ')}`)
    .option('--anchors <ids|none>', "canonical models evaluated beside the search, the same way, to compare the front with (default: the space's ids)")
    .option('--latency <how>', 'measured (every candidate, through the cell engine) or predicted (mvbench predict\'s predictor for the runner and threads; the front is measured)', 'measured')
    .option('--measure-ms <ms>', 'timed runs per latency measurement', positive, 1000)
    .option('--out <file.jsonl>', 'results file (one row per evaluation, appended)', 'results/search.jsonl')
    .option('--resume', 'continue the search of the same settings in --out: nothing evaluated is evaluated again')
    .option('--json', 'machine-readable summary')
    .option('--queue <redis-url>', 'measure and train on workers of other machines through this Redis (mvbench worker), redis://host:port/db; the search runs here')
    .option('--machine-class <name>', "with --queue: the workers' class the latency measurements need (trainings go to any)", 'default')
    .option('--attempts <n>', 'with --queue: tries per job (a worker killed mid-job is one) before the evaluation fails', integer(1, 100), 3)
    .option('--lock-seconds <s>', 'with --queue: a worker silent this long loses its job to another', integer(2, 86_400), 30)
    .action(async (f: SearchFlags) => {
      if (f.method !== 'nsga2' && f.method !== 'random') throw userError('BAD_ARGUMENT', `--method: '${f.method}' is not a method; methods: nsga2, random`);
      const objectives = objectivesOf(f.objectives);
      const zeroCost = f.zeroCost as ZeroCostProxy | undefined;
      if (zeroCost && !ZERO_COST_PROXIES.includes(zeroCost)) throw userError('BAD_ARGUMENT', `--zero-cost: unknown proxy '${f.zeroCost}'; proxies: ${ZERO_COST_PROXIES.join(', ')}`);
      if (f.latency !== 'measured' && f.latency !== 'predicted') throw userError('BAD_ARGUMENT', `--latency: '${f.latency}'; expected measured or predicted`);
      // trained here: a missing addon is said now, not once per failed training (a queue's workers have their own)
      const nodeMissing = f.device === 'node' && f.queue === undefined ? tfjsNodeMissing() : undefined;
      if (nodeMissing) throw userError('RUNNER_UNAVAILABLE', `--device node: ${nodeMissing}`);
      const predicted = f.latency === 'predicted' ? await predictorFor(f.runner, f.threads) : undefined;
      const fidelities = f.fidelities === undefined ? DEFAULT_FIDELITIES : parseFidelities(f.fidelities);
      const queue = f.queue === undefined ? undefined : { queueUrl: checkQueueUrl(f.queue), machineClass: checkMachineClass(f.machineClass, '--machine-class'), attempts: f.attempts, lockSeconds: f.lockSeconds, log: (line: string) => console.error(line) };
      const r = await runArchitectureSearch(
        {
          space: spaceOf(f.space), method: f.method, seed: f.seed, population: f.population, objectives,
          constraints: { maxLatencyMs: f.maxLatency, maxParams: f.maxParams, maxMacs: f.maxMacs },
          runner: f.runner, threads: f.threads, measureBudgetMs: f.measureMs, budgetMs: f.budget, maxEvaluations: f.evaluations, workers: f.workers, reductionFactor: f.reductionFactor, zeroCost, predictor: predicted?.name,
          anchors: f.anchors === undefined ? undefined : f.anchors === 'none' ? [] : f.anchors.split(',').map((a) => a.trim()),
          proxy: { data: f.data, fidelities, testImages: f.testImages, seed: f.seed, timeoutS: 1800, device: f.device },
        },
        f.out, f.resume ?? false,
        {
          log: (line) => console.error(line),
          interrupted: (signal, n) => console.error(`\ninterrupted (${signal}): ${n} new rows are in ${f.out}; continue with --resume (same flags)`),
        },
        { predicted: predicted?.latency },
        queue && searchOnQueue(queue),
      );
      if (f.json) return printJson(summary(r, objectives));
      printSummary(r, objectives);
    });
}

/** the committed predictor of the runner setting as a latency function; a predictor of another machine is a warning, since the front is measured */
async function predictorFor(runner: string, threads: number): Promise<{ name: string; latency: LatencyFn }> {
  const p = loadPredictorFor(join(repoRoot, 'results', 'predictors'), runner, threads);
  const name = predictorName(runner, threads);
  if (!p) throw userError('BAD_PREDICTOR', `no predictor results/predictors/${name}.json for ${runner} with ${threads} thread(s): build one (mvbench predictor build --runner ${runner} --threads ${threads}) or search with --latency measured`);
  const versions = (await probeRunners()).find((r) => r.id === runner)?.versions ?? {};
  for (const m of machineMismatch(p, environmentFingerprint(), versions)) console.error(`warning: the predictor ${name}: ${m}; the front is measured here`);
  return { name, latency: async (spec) => predict(p, spec) };
}

const summary = (r: SearchResult, objectives: readonly Objective[]) => ({
  run: r.run, file: r.file, evaluations: r.evaluations.length, newRows: r.newRows, resumedRows: r.resumedRows, reusedTrainings: r.reusedTrainings, objectives, reference: r.reference,
  front: r.front.map((e) => ({ spec: e.candidate.spec, generation: e.candidate.generation, objectives: e.objectives, measured: e.measured })),
  anchors: r.anchors.map((e) => ({ spec: e.candidate.spec, objectives: e.objectives, feasible: e.violation === 0, complete: e.complete })),
  improvements: r.improvements.map((i) => ({ found: i.found.candidate.spec, anchor: i.anchor.candidate.spec })),
  hypervolume: r.history,
});

function printSummary(r: SearchResult, objectives: readonly Objective[]): void {
  const cell = (k: Objective, v: number) => (k === 'accuracy' ? `${(100 - v).toFixed(1)} %` : k === 'latency' ? `${v.toFixed(2)} ms` : `${(v / 1e6).toFixed(2)} M`);
  const head = objectives.map((k) => (k === 'accuracy' ? 'proxy top-1' : k));
  const rows = [...r.front].sort((a, b) => a.objectives[0] - b.objectives[0]).map((e) => [e.candidate.spec, ...e.objectives.map((v, i) => cell(objectives[i], v))]);
  const reused = r.reusedTrainings ? `; ${r.reusedTrainings} trainings reused from earlier searches there` : '';
  console.log(`${r.run}: ${r.evaluations.length} candidates evaluated (${r.newRows} new rows in ${r.file}${reused})`);
  console.log(`\nfront (${r.front.length}):\n${table(rows, ['spec', ...head])}`);
  const anchors = r.anchors.map((e) => [e.candidate.spec, ...e.objectives.map((v, i) => (e.violation ? 'over a limit' : e.complete ? cell(objectives[i], v) : 'no accuracy'))]);
  if (anchors.length) console.log(`\nanchors (canonical models, evaluated the same way):\n${table(anchors, ['spec', ...head])}`);
  for (const i of r.improvements) console.log(`${i.found.candidate.spec} beats ${i.anchor.candidate.spec}: faster at equal or better proxy top-1 (both latencies measured)`);
  const last = r.history.at(-1);
  if (last) console.log(`\nhypervolume ${last.hypervolume.toPrecision(4)} (reference ${r.reference.map((v) => v.toPrecision(4)).join(', ')})`);
}
