/**
 * How close are the committed latency predictors to this machine? For each predictor in results/predictors/ (or
 * those named with --only), samples held-out specs of its space with a seed it was not built with (specs it was
 * measured on are left out), measures each twice (two sweeps, each cell two fresh processes pooled, as the build
 * measures), and compares the predictions with the pooled median of both measurements. The two measurements
 * compared with each other give the machine's own repeatability: a predictor cannot be closer than that.
 * Targets (issue: the predictor): ort-node:cpu 1 thread >= 95% within +/-10% and >= 80% within +/-5%;
 * ort-web:wasm >= 90% within +/-10%. Needs a quiet machine: cells measured under competing load are reported.
 *   pnpm tsx benchmarks/predictor/validate.ts [--specs 60] [--seed 1000] [--only ort-node-cpu-t1,...]
 *     [--out results/benchmarks/predictor-validation.json]
 * Fields of the output: per predictor `runner`, `threads`, `specs` (measured in both sweeps, neither contended),
 * `contended`, `failed`, `predictor` (share within 5% and 10%, RMSPE, Kendall tau of predicted vs measured),
 * `noise` (the same of measurement b vs a), `rows` (spec, a, b, measured = pooled median, predicted; ms), `command`
 * and `measuredAt` (each predictor's entry is replaced when it is validated again, the others kept).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSpec } from '@mvbench/dsl';
import { loadPredictor, predict, predictorPlan, quality, type LoadedPredictor } from '@mvbench/predict';
import { latestPerCell, readRows, writeFileAtomic, type ResultRow } from '@mvbench/results';
import { environmentFingerprint } from '@mvbench/runner-core';
import { parseSpace, sampleSpecs } from '@mvbench/space';
import { runSweep, type SweepEvents } from '@mvbench/sweep-run';
import { num } from '../args.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    specs: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1000' },
    only: { type: 'string' },
    dir: { type: 'string', default: join(root, 'results/predictors') },
    out: { type: 'string', default: join(root, 'results/benchmarks/predictor-validation.json') },
  },
});
const nSpecs = num(values, 'specs', { integer: true, min: 3 });
const seed = num(values, 'seed');
const only = values.only?.split(',');
const names = readdirSync(values.dir!).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((n) => !only || only.includes(n));
if (!names.length) {
  console.error(`benchmark: no predictor ${only ? `named ${only.join(', ')} ` : ''}in ${values.dir}`);
  process.exit(2);
}

const events: SweepEvents = {
  log: () => {},
  warn: (line) => console.error(line),
  progress: () => ({ start: () => {}, done: (r) => console.error(`  ${r.spec}: ${r.latency ? `${r.latency.median.toFixed(2)} ms` : r.error?.code}${r.load?.contended ? ' CONTENDED' : ''}`), stop: () => {} }),
  interrupted: () => process.exit(130),
};

const pooledMedian = (a: ResultRow, b: ResultRow) => {
  const s = [...a.samplesMs!, ...b.samplesMs!].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const summary = (q: ReturnType<typeof quality>) => ({ within5: round(q.within5), within10: round(q.within10), rmspe: round(q.rmspe), kendallTau: q.kendallTau === null ? null : round(q.kendallTau) });

async function validate(name: string, p: LoadedPredictor) {
  const trainedOn = new Set(readRows(join(values.dir!, p.measurements)).rows.map((r) => r.spec));
  const space = parseSpace(p.space, `${name}.json`);
  const specs = sampleSpecs(space, nSpecs + trainedOn.size, seed).filter((s) => !trainedOn.has(s.spec)).slice(0, nSpecs);
  const work = mkdtempSync(join(tmpdir(), 'mvbench-predictor-validation-'));
  try {
    const measured: Map<string, ResultRow>[] = [];
    for (const side of ['a', 'b']) {
      console.error(`${name}: measurement ${side} of ${specs.length} held-out specs`);
      const plan = predictorPlan(`validation-${side}`, p.runner, p.threads, specs.map((s) => s.spec), seed);
      let res = await runSweep({ plan, out: join(work, `${side}.jsonl`), resume: false, events, yes: true });
      // cells measured under competing load are measured again (twice at most) rather than left out
      for (let retry = 0; retry < 2 && res.rows.some((r) => r.load?.contended); retry++) {
        console.error(`${name}: measuring ${res.rows.filter((r) => r.load?.contended).length} contended cells of ${side} again`);
        res = await runSweep({ plan, out: join(work, `${side}.jsonl`), resume: true, retryContended: true, events, yes: true });
      }
      measured.push(new Map(latestPerCell(res.rows).map((r) => [r.spec, r])));
    }
    const [a, b] = measured;
    const failed = specs.filter((s) => a.get(s.spec)?.error || b.get(s.spec)?.error).length;
    const contended = specs.filter((s) => a.get(s.spec)?.load?.contended || b.get(s.spec)?.load?.contended).length;
    const rows = specs
      .filter((s) => [a, b].every((m) => m.get(s.spec)?.latency && !m.get(s.spec)!.load?.contended))
      .map((s) => ({ spec: s.spec, a: a.get(s.spec)!.latency!.median, b: b.get(s.spec)!.latency!.median, measured: pooledMedian(a.get(s.spec)!, b.get(s.spec)!), predicted: predict(p, s).ms }));
    const result = {
      runner: p.runner,
      threads: p.threads,
      specs: rows.length,
      failed,
      contended,
      predictor: summary(quality(rows.map((r) => r.measured), rows.map((r) => r.predicted))),
      noise: summary(quality(rows.map((r) => r.a), rows.map((r) => r.b))),
      rows: rows.map((r) => ({ spec: r.spec, a: round(r.a), b: round(r.b), measured: round(r.measured), predicted: round(r.predicted) })),
    };
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type Result = Awaited<ReturnType<typeof validate>> & { command: string; measuredAt: string };
// predictors validated before (--only the others) keep their entries
const previous: Record<string, Result> = existsSync(values.out!) ? JSON.parse(readFileSync(values.out!, 'utf8')).results ?? {} : {};
const results: Record<string, Result> = { ...previous };
const command = `pnpm tsx benchmarks/predictor/validate.ts --specs ${nSpecs} --seed ${seed}${only ? ` --only ${only.join(',')}` : ''}`;
for (const name of names) results[name] = { ...(await validate(name, loadPredictor(join(values.dir!, `${name}.json`)))), command, measuredAt: new Date().toISOString() };
writeFileAtomic(values.out!, JSON.stringify({ env: environmentFingerprint(), results }, null, 1) + '\n');

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
console.log('\n| predictor | specs | within +/-5% | within +/-10% | RMSPE | Kendall tau | noise: within 5% / 10%, RMSPE | contended |');
console.log('|---|---:|---:|---:|---:|---:|---|---:|');
for (const [name, r] of Object.entries(results))
  console.log(`| ${name} | ${r.specs} | ${pct(r.predictor.within5)} | ${pct(r.predictor.within10)} | ${pct(r.predictor.rmspe)} | ${r.predictor.kendallTau?.toFixed(2)} | ${pct(r.noise.within5)} / ${pct(r.noise.within10)}, ${pct(r.noise.rmspe)} | ${r.contended} |`);
console.log(`\nwritten: ${values.out}`);
