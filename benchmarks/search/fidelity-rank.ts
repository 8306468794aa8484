/**
 * Does the search's cheap accuracy rank models as a longer proxy training does? Random specs of the space trained at
 * each of the search's fidelities and at a full setting (default 2,000 images, 2 epochs, batch 16: 250 steps, the
 * search's last rung), two trainings at once; Kendall tau of each cheaper fidelity's top-1 against the full top-1.
 * `--also` ranks candidate rungs beside the search's (JSON as mvbench search --fidelities).
 *   pnpm tsx benchmarks/search/fidelity-rank.ts [--specs 20] [--seed 7] [--space mobilevitv2,swiftformer]
 *     [--full-images 2000] [--full-epochs 2] [--full-batch 16] [--also '[{"resolution":64,...}]']
 * Each training is kept in results/benchmarks/search-fidelity-rank.jsonl as it finishes (an interrupted run goes on
 * with the same command); the summary goes to results/benchmarks/search-fidelity-rank.json (`--summary-only`: of
 * the specs the log completes so far, training nothing).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_FIDELITIES, parseFidelities, proxyAccuracy, type Fidelity } from '@mvbench/search';
import { defaultSpace, sampleSpecs } from '@mvbench/space';
import { kendallTau } from '@mvbench/core';
import { num, readLog, str, usageError } from '../args.ts';

const { values } = parseArgs({
  options: {
    specs: str('20'), seed: str('7'), space: str('mobilevitv2,swiftformer'), 'full-images': str('2000'), 'full-epochs': str('2'), 'full-batch': str('16'), also: str(),
    /** summarise the log as it is (a run stopped partway), training nothing */
    'summary-only': { type: 'boolean', default: false },
  },
});
const n = num(values, 'specs', { integer: true, min: 3 });
const seed = num(values, 'seed');
const full: Fidelity = {
  resolution: 64, epochs: num(values, 'full-epochs', { integer: true, min: 1 }), trainImages: num(values, 'full-images', { integer: true, min: 8 }), batch: num(values, 'full-batch', { integer: true, min: 1 }),
};
const same = (a: Fidelity, b: Fidelity) => JSON.stringify(a) === JSON.stringify(b);
const also: Fidelity[] = [];
if (values.also) try { also.push(...parseFidelities(values.also, '--also')); } catch (e) { usageError((e as Error).message); }
const fidelities = [...also, ...DEFAULT_FIDELITIES.filter((f) => !same(f, full)), full];
const accuracy = proxyAccuracy({ data: 'synthetic', fidelities, testImages: 200, seed: 0, timeoutS: 3600 });
const log = 'results/benchmarks/search-fidelity-rank.jsonl';
mkdirSync('results/benchmarks', { recursive: true });

const key = (spec: string, level: number) => `${spec}|${JSON.stringify(fidelities[level])}`;
// a training that failed (a timeout, a killed child) is tried again by the next run
const done = new Map<string, number | null>(
  readLog<{ key: string; top1: number | null }>(log)
    .filter((r) => r.top1 !== null).map((r) => [r.key, r.top1]),
);
const specs = sampleSpecs(defaultSpace(values.space!.split(',')), n, seed);
const jobs = specs.flatMap((spec) => fidelities.map((_, level) => ({ spec, level }))).filter((j) => !values['summary-only'] && !done.has(key(j.spec.spec, j.level)));
let next = 0;
const loads: number[] = [];
await Promise.all([0, 1].map(async () => {
  while (next < jobs.length) {
    const { spec, level } = jobs[next++];
    loads.push(loadavg()[0]);
    const a = await accuracy(spec, level);
    done.set(key(spec.spec, level), a.value);
    appendFileSync(log, JSON.stringify({ key: key(spec.spec, level), spec: spec.spec, fidelity: fidelities[level], top1: a.value, seconds: typeof a.detail?.seconds === 'number' ? a.detail.seconds : null, error: a.error ?? null }) + '\n');
    console.error(`${done.size}/${specs.length * fidelities.length} ${spec.spec} fidelity ${level}: ${a.value ?? a.error}`);
  }
}));

const top1 = (level: number) => specs.map((s) => done.get(key(s.spec, level)) ?? null);
const last = fidelities.length - 1;
/** the specs with a top-1 at `level` and at full */
const pairs = (level: number) => specs.map((_, i) => [top1(level)[i], top1(last)[i]]).filter((p): p is [number, number] => p[0] !== null && p[1] !== null);
const complete = specs.map((_, i) => fidelities.every((__, l) => top1(l)[i] !== null));
if (!pairs(0).length) usageError(`no spec has a training at the cheapest fidelity and at full in ${log} yet: run without --summary-only first`);
const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });
const summary = {
  command: `pnpm tsx benchmarks/search/fidelity-rank.ts ${process.argv.slice(2).join(' ')}`.trim(),
  env: { node: process.version, cpu: cpus()[0]?.model.trim(), cores: cpus().length, date: new Date().toISOString() },
  specs: specs.map((s) => s.spec), complete: complete.filter(Boolean).length, full,
  tau: fidelities.slice(0, -1).map((f, level) => {
    const p = pairs(level);
    return { fidelity: f, role: level < also.length ? 'candidate' : `rung ${level - also.length}`, specs: p.length, kendallTau: kendallTau(p.map((x) => x[0]), p.map((x) => x[1])), top1: range(p.map((x) => x[0])) };
  }),
  fullTop1: range(top1(last).filter((v): v is number => v !== null)),
  // top-1 does not depend on load, only the run's duration does; null: this run trained nothing (--summary-only)
  competing: loads.length ? loads.some((l) => l > 2.5) : null,
};
const steps = (f: Fidelity) => Math.floor(f.trainImages / f.batch) * f.epochs;
console.log('| fidelity | steps | specs | top-1 range | Kendall tau vs full |\n|---|---|---|---|---|');
for (const t of summary.tau) console.log(`| ${t.role}: ${t.fidelity.trainImages} images x ${t.fidelity.epochs}, batch ${t.fidelity.batch} | ${steps(t.fidelity)} | ${t.specs} | ${t.top1.min}-${t.top1.max} % | ${t.kendallTau.toFixed(3)} |`);
console.log(`\n${summary.complete} specs with every training; full = ${full.trainImages} images x ${full.epochs}, batch ${full.batch} (${steps(full)} steps, top-1 ${summary.fullTop1.min}-${summary.fullTop1.max} %); other processes competed: ${summary.competing ?? 'not known (--summary-only)'}`);
writeFileSync('results/benchmarks/search-fidelity-rank.json', JSON.stringify(summary, null, 2) + '\n');
