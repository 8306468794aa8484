/**
 * Precision of the timing harness: the same cell (model, runner, threads) measured in N separate, sequential
 * Node processes. The goal: the medians of measure() vary by at most 2% (max/min) across invocations, where a
 * naive loop (10 warm-up + 60 timed runs) varies by ~7%.
 *
 *   pnpm tsx benchmarks/precision/precision.ts [--invocations 5] [--model path.onnx] [--threads 1]
 *     [--input input --shape 1,3,256,256 --output logits] [--gc-between] [--cpus 1 (taskset list)]
 *     [--out results/benchmarks/precision.json]
 *
 * Besides the medians it records how much CPU other processes used during each invocation (from /proc/stat via
 * os.cpus(), minus the cell's own CPU time), since this machine is shared.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { environmentFingerprint, type Measurement } from '../../packages/runner-core/src/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: a } = parseArgs({
  options: {
    invocations: { type: 'string', default: '5' },
    model: { type: 'string', default: '/work/shared/reference/torch-export/mobilevit_xxs.onnx' },
    threads: { type: 'string', default: '1' },
    input: { type: 'string', default: 'input' },
    shape: { type: 'string', default: '1,3,256,256' },
    output: { type: 'string', default: 'logits' },
    'gc-between': { type: 'boolean', default: false },
    cpus: { type: 'string' },
    out: { type: 'string', default: 'results/benchmarks/precision.json' },
  },
});

interface CellResult {
  sessionMs: number;
  firstInferenceMs: number;
  naive: Measurement;
  measured: Measurement;
  peakRssMb: number;
  cpuMs: number;
}

const busyMs = () => os.cpus().reduce((s, c) => s + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);

function invoke(): CellResult & { wallMs: number; otherCpuShare: number } {
  const cell = [
    process.execPath, '--import', 'tsx', ...(a['gc-between'] ? ['--expose-gc'] : []),
    path.join(root, 'benchmarks/precision/cell.ts'),
    '--model', path.resolve(a.model), '--threads', a.threads,
    '--input', a.input, '--shape', a.shape, '--output', a.output,
    ...(a['gc-between'] ? ['--gc-between'] : []),
  ];
  const argv = a.cpus ? ['taskset', '-c', a.cpus, ...cell] : cell;
  const busy0 = busyMs();
  const t0 = performance.now();
  const p = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallMs = performance.now() - t0;
  if (p.status !== 0) throw new Error(`cell failed (exit ${p.status}):\n${p.stderr}`);
  const r: CellResult = JSON.parse(p.stdout.trim().split('\n').at(-1)!);
  // CPU time of everything else on the machine, as a share of all cores over the invocation's wall time
  const otherCpuShare = Math.max(0, busyMs() - busy0 - r.cpuMs) / (wallMs * os.cpus().length);
  return { ...r, wallMs, otherCpuShare };
}

const n = Number(a.invocations);
const runs = [];
for (let i = 0; i < n; i++) {
  const r = invoke();
  runs.push(r);
  const { naive: nv, measured: m } = r;
  console.error(
    `invocation ${i + 1}/${n}: naive ${nv.stats.median.toFixed(3)} ms, measure ${m.stats.median.toFixed(3)} ms ` +
      `(n ${m.stats.n}, ${m.stopReason}), other CPU ${(r.otherCpuShare * 100).toFixed(1)}%`,
  );
}

const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
const naiveMedians = runs.map((r) => r.naive.stats.median);
const measuredMedians = runs.map((r) => r.measured.stats.median);
const f = (x: number, d = 3) => x.toFixed(d);

console.log(`\nmodel ${a.model}, ${a.threads} thread(s), ${n} invocations${a.cpus ? `, taskset -c ${a.cpus}` : ''}\n`);
console.log('| # | naive median ms | measure() median ms | n | 95% CI ms | ±CI % | stop | warm-up runs | other CPU % |');
console.log('|---|---:|---:|---:|---|---:|---|---:|---:|');
runs.forEach(({ naive, measured: { stats: s, ...m }, otherCpuShare }, i) => {
  console.log(
    `| ${i + 1} | ${f(naive.stats.median)} | ${f(s.median)} | ${s.n} | ${f(s.ciLow)}..${f(s.ciHigh)} | ` +
      `${f(s.relCiHalfWidth * 100, 2)} | ${m.stopReason} | ${m.warmupRuns} | ${f(otherCpuShare * 100, 1)} |`,
  );
});
console.log(`\nmax/min of medians: naive ${f(spread(naiveMedians), 4)}, measure() ${f(spread(measuredMedians), 4)}`);

const out = path.resolve(root, a.out);
mkdirSync(path.dirname(out), { recursive: true });
const summary = {
  createdAt: new Date().toISOString(),
  environment: environmentFingerprint(),
  settings: { model: path.basename(a.model), threads: Number(a.threads), invocations: n, gcBetween: a['gc-between'], cpus: a.cpus ?? null },
  maxOverMin: { naive: spread(naiveMedians), measure: spread(measuredMedians) },
  invocations: runs.map(({ naive, measured, ...r }) => ({
    ...r,
    naive: { median: naive.stats.median, stats: naive.stats },
    measured: { ...measured, samplesMs: undefined },
    samplesMs: { naive: naive.samplesMs, measured: measured.samplesMs },
  })),
};
writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
