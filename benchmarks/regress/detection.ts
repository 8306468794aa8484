/**
 * How trustworthy is `mvbench regress` on this machine? Runs the real command (worktree, both emitters,
 * interleaved child processes, confirmation run) with the base = HEAD, so every difference is either nothing
 * (A/A) or an injected slowdown of known size (`--inject-slowdown K`, K element-wise ops on the input).
 *   1. calibrate K per percent of slowdown on the model
 *   2. >= 30 A/A comparisons: count false alarms (confirmed regressions)          target: <= 1
 *   3. >= 20 comparisons with a 10% slowdown: count detections                    target: >= 95%
 *   4. smaller slowdowns (3, 5, 7.5%): detection rate, to find the smallest detected reliably
 * With --metric instructions the same for the instruction metric (Valgrind; counts ignore load, so no quiet machine
 * is needed): K calibrated from the deterministic count of 1 injected op, sizes 0.5, 1, 2, 5%, 10 runs each.
 * Needs a clean work tree (run it from a clone) and a quiet machine.
 *   pnpm tsx benchmarks/regress/detection.ts [--aa 30] [--trials 20] [--out results/benchmarks/regress-detection.json]
 *   pnpm tsx benchmarks/regress/detection.ts --metric instructions [--aa 30] [--trials 10]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNum } from '../args.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const aaRuns = argNum('--aa', 30, { integer: true, min: 1 });
const trials = argNum('--trials', process.argv.includes('instructions') ? 10 : 20, { integer: true, min: 1 });
const metric = arg('--metric', 'time');
if (metric !== 'time' && metric !== 'instructions') {
  console.error(`benchmark: --metric takes time or instructions, got '${metric}'`);
  process.exit(2);
}
const counting = metric === 'instructions';
const out = arg('--out', join(root, `results/benchmarks/regress-detection${counting ? '-instructions' : ''}.json`));
const plan = join(root, 'benchmarks/regress/detection-plan.json');
writeFileSync(plan, JSON.stringify({ name: 'regress-detection', models: ['mobilevit_xxs'], runners: [{ runner: 'ort-node:cpu', threads: [1] }], measure: { budgetMs: 2000, minRuns: 30 }, accuracy: 'none' }));

interface Run { verdict: string; ratio: number; confirmRatio: number | null }
function regress(inject: number): Run {
  let stdout: string;
  try {
    stdout = execFileSync(`${root}node_modules/.bin/tsx`, [`${root}apps/sweep/src/main.ts`, 'regress', '--base', 'HEAD', '--plan', plan, '--inject-slowdown', String(inject), '--metric', metric, '--no-history-file', '--json'], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20,
    });
  } catch (e) {
    // exit code 1 is the verdict "confirmed regression", with the same JSON on stdout
    const err = e as { status?: number; stdout?: string };
    if (err.status !== 1 || !err.stdout) throw e;
    stdout = err.stdout;
  }
  const r = JSON.parse(stdout).results[0];
  if (counting) return { verdict: r.instructions.verdict, ratio: r.instructions.ratio, confirmRatio: null };
  return { verdict: r.verdict, ratio: r.first.ratio.ratio, confirmRatio: r.confirmation?.ratio.ratio ?? null };
}
const log = (s: string) => process.stderr.write(s + '\n');

// 1. calibration: the ratio with N injected ops gives the cost of one op relative to the model (instruction counts
// are deterministic: one op, one check)
const calOps = counting ? 1 : 60;
const cal = counting ? regress(calOps).ratio : [regress(60), regress(60), regress(60)].map((r) => r.ratio).sort((a, b) => a - b)[1];
const opsFor = (fraction: number) => Math.max(1, Math.round((fraction / (cal - 1)) * calOps));
log(`calibration: ${calOps} ops -> x${cal.toFixed(5)}; 1% = ${opsFor(0.01)} ops`);

const series = (name: string, inject: number, n: number) => {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    runs.push(regress(inject));
    log(`${name} ${i + 1}/${n}: ${runs.at(-1)!.verdict} (x${runs.at(-1)!.ratio.toFixed(3)})`);
  }
  const medianRatio = [...runs.map((r) => r.ratio)].sort((a, b) => a - b)[Math.floor(n / 2)];
  return { name, inject, runs: n, regressions: runs.filter((r) => r.verdict === 'regression').length, medianRatio, verdicts: runs.map((r) => r.verdict) };
};

const aa = series('A/A', 0, aaRuns);
const sizes = counting
  ? [0.005, 0.01, 0.02, 0.05].map((f) => series(`${f * 100}% more instructions`, opsFor(f), trials))
  : [0.1, 0.075, 0.05, 0.03].map((f) => series(`${f * 100}% slowdown`, opsFor(f), f === 0.1 ? trials : Math.ceil(trials / 2)));
const result = { model: 'mobilevit_xxs', runner: 'ort-node:cpu t1', metric, calibration: { ops: calOps, ratio: cal }, aa, slowdowns: sizes, date: new Date().toISOString() };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`| comparison | injected ops | runs | confirmed regressions | median measured head/base |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const s of [aa, ...sizes]) console.log(`| ${s.name} | ${s.inject} | ${s.runs} | ${s.regressions} (${((100 * s.regressions) / s.runs).toFixed(0)}%) | ${s.medianRatio.toFixed(counting ? 5 : 3)} |`);
const reliable = sizes.filter((s) => s.regressions / s.runs >= 0.95).map((s) => s.name);
const target = counting ? sizes[1] : sizes[0];
console.log(`\nfalse alarms ${aa.regressions}/${aa.runs} (target ${counting ? '0' : '<= 1'}); ${target.name} detected ${target.regressions}/${target.runs} (target ${counting ? 'all' : '>= 95%'}); detected >= 95%: ${reliable.join(', ') || 'none'}`);
console.log(`wrote ${out}`);
