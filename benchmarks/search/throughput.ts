/**
 * How many candidates a search gets a proxy top-1 for within its budget: runs `mvbench search` (the user's command,
 * with the flags after `--`, else the defaults below) into results/benchmarks/search-throughput.jsonl, then counts
 * from the run's rows the search's candidates with a proxy top-1 (anchors apart) by their highest fidelity, the
 * trainings per rung with their median seconds, and the time spent (the union of the rows' intervals).
 *   pnpm tsx benchmarks/search/throughput.ts [-- <mvbench search flags>]
 * Writes results/benchmarks/search-throughput.json. A run killed midway continues with `-- <the same flags> --resume`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { readRows } from '@mvbench/results';
import { ANCHOR_GENERATION, DEFAULT_FIDELITIES, spentMs } from '@mvbench/search';
import { spread, usageError } from '../args.ts';

// the first two rungs of the default ladder (64 and 128 steps); the best quarter of a generation goes on
const RUNGS = JSON.stringify(DEFAULT_FIDELITIES.slice(0, 2));
const DEFAULTS = `--space mobilevitv2,swiftformer --runner ort-node:cpu --max-latency 20 --latency predicted --device node --budget 45m --population 16 --reduction-factor 4 --fidelities ${RUNGS} --anchors none --seed 0`;
const out = 'results/benchmarks/search-throughput.jsonl';
const dash = process.argv.indexOf('--');
const flags = dash < 0 ? DEFAULTS.split(' ') : process.argv.slice(dash + 1);
if (flags.some((f) => f === '--out' || f.startsWith('--out='))) usageError(`--out: this benchmark writes ${out}; leave --out out`);

const loadBefore = loadavg()[0];
const search = spawnSync('pnpm', ['-s', 'mvbench', 'search', ...flags, '--out', out, '--json'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 26 });
if (search.status !== 0) usageError(`mvbench search exited with ${search.status}: see its message above`);
const { run } = JSON.parse(search.stdout) as { run: string };
const loadAfter = loadavg()[0];

const rows = readRows(out).rows.filter((r) => r.sweep === run);
// a row with a predicted and a measured latency is a front candidate's measurement, not a training
const trained = rows.filter((r) => r.accuracy.kind === 'proxy' && r.accuracy.value !== null && (r.search!.predictedMs === null || r.search!.measuredMs === null));
const candidates = new Map<string, number>();
for (const r of trained) if (r.search!.generation !== ANCHOR_GENERATION) candidates.set(r.spec, Math.max(candidates.get(r.spec) ?? 0, r.search!.fidelity!));
const rungs = [...new Set(trained.map((r) => r.search!.fidelity!))].sort((a, b) => a - b).map((fidelity) => {
  const at = trained.filter((r) => r.search!.fidelity === fidelity);
  // a training taken over from an earlier search in the file took no time here
  const timed = at.filter((r) => r.durationS > 1).map((r) => r.durationS);
  return { fidelity, trainings: at.length, candidatesEndingHere: [...candidates.values()].filter((f) => f === fidelity).length, seconds: timed.length ? spread(timed) : null };
});
const summary = {
  command: `pnpm tsx benchmarks/search/throughput.ts -- ${flags.map((f) => (/^[\w.,:=-]+$/.test(f) ? f : `'${f}'`)).join(' ')}`,
  env: { node: process.version, cpu: cpus()[0]?.model.trim(), cores: cpus().length, date: new Date().toISOString() },
  run,
  candidatesWithAccuracy: candidates.size,
  anchorsTrained: new Set(trained.filter((r) => r.search!.generation === ANCHOR_GENERATION).map((r) => r.spec)).size,
  generations: new Set(rows.map((r) => r.search!.generation).filter((g) => g !== ANCHOR_GENERATION)).size,
  minutesSpent: spentMs(rows) / 60_000,
  rungs,
  loadBefore,
  loadAfter,
  // the 1-minute load average counts the search's own two trainings: above ~2.5, something else ran too
  competing: loadBefore > 2 || loadAfter > 2.5,
};
console.log(`\n${summary.candidatesWithAccuracy} candidates with a proxy top-1 in ${summary.minutesSpent.toFixed(1)} min (${summary.generations} generations); per rung:`);
console.log('| fidelity | trainings | candidates ending here | median s (min-max) |\n|---|---|---|---|');
for (const r of rungs) console.log(`| ${r.fidelity} | ${r.trainings} | ${r.candidatesEndingHere} | ${r.seconds ? `${r.seconds.median.toFixed(1)} (${r.seconds.min.toFixed(1)}-${r.seconds.max.toFixed(1)})` : '-'} |`);
writeFileSync('results/benchmarks/search-throughput.json', JSON.stringify(summary, null, 2) + '\n');
