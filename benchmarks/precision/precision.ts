/**
 * Precision of the timing harness: the same cell (model, runner, threads) measured in N separate, sequential
 * Node processes, each by the sweep's own cell engine (measureCell of @mvbench/cell: one session, first run, then
 * (a) the naive way, 10 warm-up + 60 timed runs, and (b) measure() with its defaults unless given). The goal: the medians of measure() vary by at most 2% (max/min) across invocations,
 * where a naive loop (10 warm-up + 60 timed runs) varies by ~7%.
 *
 *   pnpm tsx benchmarks/precision/precision.ts [--invocations 5] [--model path.onnx] [--threads 1]
 *     [--processes 1]                                           fresh processes per invocation (pyperf-style
 *                                                               workers); an invocation reports their median
 *     [--input input --shape 1,3,256,256 --output logits]      the model's input and output
 *     [--min-runs n --target-rel-ci x --budget-ms ms]           measure() options (its defaults otherwise)
 *     [--gc-between] [--cpus 1]                                 global.gc() between runs; taskset the cells
 *     [--wait-quiet s]                                          before each cell wait up to s seconds for the
 *                                                               other processes to use < 10% of the CPUs
 *     [--out results/benchmarks/precision.json]
 *
 * Besides the medians it reports two low-side estimators computed from the same samples (p10 and the minimum
 * of 10-run window medians), and how much CPU other processes used during each measurement: the machine is shared.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCell, type CellJob } from '@mvbench/cell';
import { environmentFingerprint, summarize, windowMedians, type Measurement } from '@mvbench/runner-core';
import { referenceFile } from '@mvbench/fixtures';
import type { NumberRule } from '@mvbench/core';
import { num } from '../args.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: a } = parseArgs({
  options: {
    invocations: { type: 'string', default: '5' },
    processes: { type: 'string', default: '1' },
    model: { type: 'string' }, // default: the reference torch export of mobilevit_xxs
    threads: { type: 'string', default: '1' },
    input: { type: 'string', default: 'input' },
    shape: { type: 'string', default: '1,3,256,256' },
    output: { type: 'string', default: 'logits' },
    'min-runs': { type: 'string' },
    'target-rel-ci': { type: 'string' },
    'budget-ms': { type: 'string' },
    'gc-between': { type: 'boolean', default: false },
    cpus: { type: 'string' },
    'wait-quiet': { type: 'string', default: '0' },
    out: { type: 'string', default: 'results/benchmarks/precision.json' },
  },
});
const model = a.model ?? referenceFile('torch-export/mobilevit_xxs.onnx');
const WINDOW = 10;
const QUIET = 0.1;

interface CellResult {
  sessionMs: number;
  firstInferenceMs: number;
  naive: Measurement;
  measured: Measurement;
  peakRssMb: number;
  cpuMs: number;
}

const busyMs = () => os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

/** Share of the CPUs other processes use over the next `ms` (this process sleeps meanwhile). */
async function otherLoad(ms: number): Promise<number> {
  const b0 = busyMs();
  await new Promise((r) => setTimeout(r, ms));
  return (busyMs() - b0) / (ms * os.cpus().length);
}

/** Waits until the machine looks quiet, up to `maxS` seconds; returns the seconds waited. */
async function waitQuiet(maxS: number): Promise<number> {
  const t0 = Date.now();
  while ((Date.now() - t0) / 1000 < maxS && (await otherLoad(2000)) >= QUIET);
  return (Date.now() - t0) / 1000;
}

/** an optional measure setting: left to the plan's default when not given */
const optional = (name: 'min-runs' | 'target-rel-ci' | 'budget-ms', rule: NumberRule) => (a[name] === undefined ? undefined : num(a, name, rule));
const job: CellJob = {
  cell: { spec: path.resolve(model), runner: 'ort-node:cpu', threads: num(a, 'threads'), graphOptimization: 'all' },
  onnxPath: path.resolve(model),
  inputs: [{ name: a.input, shape: a.shape.split(',').map(Number), dtype: 'float32' }],
  outputs: [{ name: a.output, shape: [], dtype: 'float32' }],
  ops: [],
  measure: { gcBetween: a['gc-between'], minRuns: optional('min-runs', { integer: true, min: 1 }), targetRelCi: optional('target-rel-ci', { above: 0, below: 1 }), budgetMs: optional('budget-ms', { above: 0 }) },
  profileRuns: 0,
  baseline: { warmupRuns: 10, runs: 60 },
};

/** one fresh process measuring the cell (measureCell with one process) */
async function invoke(): Promise<CellResult & { wallMs: number }> {
  const t0 = performance.now();
  const o = await measureCell(job, { processes: 1, timeoutS: 600, cpus: a.cpus });
  if (!o.ok) throw new Error(`cell failed: ${o.code}: ${o.message}`);
  const measured: Measurement = { ...o.detail, stats: o.stats, samplesMs: o.samplesMs };
  return { sessionMs: o.sessionCreateMs, firstInferenceMs: o.firstRunMs, naive: o.baseline!, measured, peakRssMb: o.peakRssMb, cpuMs: o.cpuMs, wallMs: performance.now() - t0 };
}

const keys = ['naiveMedian', 'measureMedian', 'measureP10', 'measureMinWindowMedian'] as const;
const n = num(a, 'invocations');
const k = num(a, 'processes');
type Cell = CellResult & { wallMs: number; waitedS: number; minWindowMedian: number };
const invocations: (Record<(typeof keys)[number], number> & { cells: Cell[] })[] = [];
for (let i = 0; i < n; i++) {
  const cells: Cell[] = [];
  for (let j = 0; j < k; j++) {
    const waitedS = await waitQuiet(num(a, 'wait-quiet'));
    const r = await invoke();
    const m = r.measured;
    cells.push({ ...r, waitedS, minWindowMedian: Math.min(...windowMedians(m.samplesMs, WINDOW)) });
    console.error(
      `invocation ${i + 1}/${n}${k > 1 ? ` process ${j + 1}/${k}` : ''}: naive ${r.naive.stats.median.toFixed(3)} ms, ` +
        `measure ${m.stats.median.toFixed(3)} ms (n ${m.stats.n}, ${m.stopReason}), ` +
        `other CPU ${(m.otherCpuShare * 100).toFixed(0)}%`,
    );
  }
  // an invocation's number is the median over its processes (the only one when --processes 1)
  const over = (get: (c: Cell) => number) => summarize(cells.map(get)).median;
  invocations.push({
    naiveMedian: over((c) => c.naive.stats.median),
    measureMedian: over((c) => c.measured.stats.median),
    measureP10: over((c) => c.measured.stats.p10),
    measureMinWindowMedian: over((c) => c.minWindowMedian),
    cells,
  });
}

const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
const maxOverMin = Object.fromEntries(keys.map((key) => [key, spread(invocations.map((r) => r[key]))]));
const f = (x: number, d = 3) => x.toFixed(d);
const pct = (x: number) => `${f((x - 1) * 100, 1)}%`;

console.log(
  `\nmodel ${model}, ${a.threads} thread(s), ${n} invocations of ${k} process(es)` +
    `${a.cpus ? `, taskset -c ${a.cpus}` : ''}; times in ms\n`,
);
console.log(
  '| # | naive median | measure() median | n | 95% CI of median | ±CI | stop | split-half drift | p10 | ' +
    'min 10-run median | other CPU (naive / measure) |',
);
console.log('|---|---:|---:|---:|---|---:|---|---:|---:|---:|---|');
invocations.forEach(({ cells }, i) =>
  cells.forEach(({ naive, measured: { stats: s, ...m }, minWindowMedian }, j) => {
    console.log(
      `| ${i + 1}${k > 1 ? `.${j + 1}` : ''} | ${f(naive.stats.median)} | ${f(s.median)} | ${s.n} | ` +
        `${f(s.ciLow)}..${f(s.ciHigh)} | ${f(s.relCiHalfWidth * 100, 2)}% | ${m.stopReason} | ` +
        `${f(m.splitHalfDrift * 100, 1)}% | ${f(s.p10)} | ${f(minWindowMedian)} | ` +
        `${f(naive.otherCpuShare * 100, 0)}% / ${f(m.otherCpuShare * 100, 0)}% |`,
    );
  }),
);
if (k > 1) {
  console.log('\nper invocation (median over its processes):');
  invocations.forEach((r, i) => console.log(`  ${i + 1}: ${keys.map((key) => `${key} ${f(r[key])}`).join(', ')}`));
}
console.log(
  `\nmax/min across invocations: naive median ${pct(maxOverMin.naiveMedian)}, measure() median ` +
    `${pct(maxOverMin.measureMedian)}, p10 ${pct(maxOverMin.measureP10)}, ` +
    `min 10-run median ${pct(maxOverMin.measureMinWindowMedian)}`,
);

const out = path.resolve(root, a.out);
mkdirSync(path.dirname(out), { recursive: true });
const summary = {
  createdAt: new Date().toISOString(),
  environment: environmentFingerprint(),
  settings: {
    model: path.basename(model),
    threads: num(a, 'threads'),
    invocations: n,
    processesPerInvocation: k,
    measureOptions: { minRuns: a['min-runs'], targetRelCi: a['target-rel-ci'], budgetMs: a['budget-ms'] },
    gcBetween: a['gc-between'],
    cpus: a.cpus ?? null,
    waitQuietS: num(a, 'wait-quiet'),
  },
  goal: { measureMedianMaxOverMin: 1.02, met: maxOverMin.measureMedian <= 1.02 },
  maxOverMin,
  invocations: invocations.map(({ cells, ...r }) => ({
    ...r,
    processes: cells.map(({ naive, measured: { samplesMs, ...measured }, ...c }) => ({
      ...c,
      naive: { stats: naive.stats, otherCpuShare: naive.otherCpuShare },
      measured,
      samplesMs: { naive: naive.samplesMs, measured: samplesMs },
    })),
  })),
};
writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
