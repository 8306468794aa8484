/**
 * How trustworthy is `mvbench regress` on this machine? Runs the real command (worktree, both emitters,
 * interleaved child processes, confirmation run) with the base = HEAD, so every difference is either nothing
 * (A/A) or an injected slowdown of known size (`--inject-slowdown K`, K element-wise ops on the input).
 *   1. calibrate K per percent of slowdown on the model
 *   2. >= 30 A/A comparisons: count false alarms (confirmed regressions)          target: <= 1
 *   3. >= 20 comparisons with a 10% slowdown: count detections                    target: >= 95%
 *   4. smaller slowdowns (3, 5, 7.5%): detection rate, to find the smallest detected reliably
 * Needs a clean work tree (run it from a clone) and a quiet machine.
 * --metric both: the same checks with both metrics (each side counted in its own process, --count-identical), the
 * instruction verdict beside the wall-time one. --metric instructions: detection-instructions.ts (changes of 0.3, 0.5,
 * 1, 2, 5% of the instructions, 10 checks each; no quiet machine needed; resumable from its .jsonl log).
 *   pnpm tsx benchmarks/regress/detection.ts [--aa 30] [--trials 20] [--metric time|both] [--out results/benchmarks/regress-detection.json]
 *   pnpm tsx benchmarks/regress/detection.ts --metric instructions [--aa 30] [--trials 10] [--spec mobilevit_xxs:resolution=128] [--jobs 2]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argNum } from '../args.ts';
import { instructionDetection } from './detection-instructions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, dflt: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const aaRuns = argNum('--aa', 30, { integer: true, min: 1 });
const metric = arg('--metric', 'time');
if (!['time', 'instructions', 'both'].includes(metric)) {
  console.error(`benchmark: --metric takes time, instructions or both, got '${metric}'`);
  process.exit(2);
}
const trials = argNum('--trials', metric === 'instructions' ? 10 : 20, { integer: true, min: 1 });
const out = arg('--out', join(root, `results/benchmarks/regress-detection${metric === 'time' ? '' : `-${metric}`}.json`));
const log = (s: string) => process.stderr.write(s + '\n');
if (metric === 'instructions') {
  const spec = arg('--spec', 'mobilevit_xxs:resolution=128');
  mkdirSync(dirname(out), { recursive: true });
  const logFile = out.replace(/\.json$/, '') + '.jsonl';
  const r = await instructionDetection({ spec, aa: aaRuns, trials, jobs: argNum('--jobs', 2, { integer: true, min: 1 }), logFile, log });
  writeFileSync(out, JSON.stringify({ model: spec, runner: 'ort-node:cpu t1', metric, ...r, date: new Date().toISOString() }, null, 2) + '\n');
  const pct = (x: number) => `${(100 * x).toFixed(3)}%`;
  console.log(`| comparison | injected ops (the base: 1) | checks | regressions (instructions > +${pct(r.threshold)}) | predicted change | measured head/base: median (min-max) |`);
  console.log(`|---|---:|---:|---:|---:|---:|`);
  for (const s of [r.aa, ...r.sizes]) console.log(`| ${s.name} | ${s.ops} | ${s.runs} | ${s.regressions} (${((100 * s.regressions) / s.runs).toFixed(0)}%) | ${pct(s.predicted)} | ${s.medianRatio.toFixed(5)} (${s.minRatio.toFixed(5)}-${s.maxRatio.toFixed(5)}) |`);
  console.log(`\nfalse alarms ${r.aa.regressions}/${r.aa.runs} (target 0); ${[0.01, 0.003].map((t) => { const z = r.sizes.find((x) => x.target === t)!; return `${t * 100}% detected ${z.regressions}/${z.runs} (${t === 0.01 ? 'target all' : 'stretch'})`; }).join('; ')}\nwrote ${out}`);
  process.exit(0);
}
const both = metric === 'both';
const plan = join(root, 'benchmarks/regress/detection-plan.json');
writeFileSync(plan, JSON.stringify({ name: 'regress-detection', models: ['mobilevit_xxs'], runners: [{ runner: 'ort-node:cpu', threads: [1] }], measure: { budgetMs: 2000, minRuns: 30 }, accuracy: 'none' }));

interface Run { verdict: string; ratio: number; confirmRatio: number | null; instructions?: { verdict: string; ratio: number } }
function regress(inject: number): Run {
  let stdout: string;
  try {
    stdout = execFileSync(`${root}node_modules/.bin/tsx`, [`${root}apps/sweep/src/main.ts`, 'regress', '--base', 'HEAD', '--plan', plan, '--inject-slowdown', String(inject), '--metric', metric, ...(both ? ['--count-identical'] : []), '--no-history-file', '--json'], {
      cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20,
    });
  } catch (e) {
    // exit code 1 is the verdict "confirmed regression", with the same JSON on stdout
    const err = e as { status?: number; stdout?: string };
    if (err.status !== 1 || !err.stdout) throw e;
    stdout = err.stdout;
  }
  const r = JSON.parse(stdout).results[0];
  const instructions = both ? { verdict: r.instructions.verdict, ratio: r.instructions.ratio } : undefined;
  return { verdict: r.verdict, ratio: r.first.ratio.ratio, confirmRatio: r.confirmation?.ratio.ratio ?? null, instructions };
}

// 1. calibration: the median ratio with 60 injected ops gives the cost of one op relative to the model
const calOps = 60;
const cal = [regress(calOps), regress(calOps), regress(calOps)].map((r) => r.ratio).sort((a, b) => a - b)[1];
const opsFor = (fraction: number) => Math.max(1, Math.round((fraction / (cal - 1)) * calOps));
log(`calibration: ${calOps} ops -> x${cal.toFixed(5)}; 1% = ${opsFor(0.01)} ops`);

const series = (name: string, inject: number, n: number) => {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    runs.push(regress(inject));
    const r = runs.at(-1)!;
    log(`${name} ${i + 1}/${n}: ${r.verdict} (x${r.ratio.toFixed(3)})${r.instructions ? `, instructions ${r.instructions.verdict} (x${r.instructions.ratio.toFixed(5)})` : ''}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(n / 2)];
  const instr = both ? runs.map((r) => r.instructions!) : undefined;
  return {
    name, inject, runs: n, regressions: runs.filter((r) => r.verdict === 'regression').length, medianRatio: median(runs.map((r) => r.ratio)), verdicts: runs.map((r) => r.verdict),
    ...(instr && { instructions: { regressions: instr.filter((r) => r.verdict === 'regression').length, medianRatio: median(instr.map((r) => r.ratio)), verdicts: instr.map((r) => r.verdict) } }),
  };
};

const aa = series('A/A', 0, aaRuns);
const sizes = [0.1, 0.075, 0.05, 0.03].map((f) => series(`${f * 100}% slowdown`, opsFor(f), f === 0.1 ? trials : Math.ceil(trials / 2)));
const result = { model: 'mobilevit_xxs', runner: 'ort-node:cpu t1', metric, calibration: { ops: calOps, ratio: cal }, aa, slowdowns: sizes, date: new Date().toISOString() };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const instrColumns = both ? ' instruction regressions | median instructions head/base |' : '';
console.log(`| comparison | injected ops | runs | confirmed regressions | median measured head/base |${instrColumns}`);
console.log(`|---|---:|---:|---:|---:|${both ? '---:|---:|' : ''}`);
for (const s of [aa, ...sizes]) {
  const i = s.instructions ? ` ${s.instructions.regressions} (${((100 * s.instructions.regressions) / s.runs).toFixed(0)}%) | ${s.instructions.medianRatio.toFixed(5)} |` : '';
  console.log(`| ${s.name} | ${s.inject} | ${s.runs} | ${s.regressions} (${((100 * s.regressions) / s.runs).toFixed(0)}%) | ${s.medianRatio.toFixed(3)} |${i}`);
}
const reliable = sizes.filter((s) => s.regressions / s.runs >= 0.95).map((s) => s.name);
console.log(`\nfalse alarms ${aa.regressions}/${aa.runs} (target <= 1); ${sizes[0].name} detected ${sizes[0].regressions}/${sizes[0].runs} (target >= 95%); detected >= 95%: ${reliable.join(', ') || 'none'}`);
console.log(`wrote ${out}`);
