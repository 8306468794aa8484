import { join } from 'node:path';
import type { Command } from 'commander';
import { userError } from '@mvbench/core';
import { parseSpec } from '@mvbench/dsl';
import { describeCalibration, measureCalibration, probeRunners, RUNNERS } from '@mvbench/cell';
import { buildPredictor, fitFromMeasurements, loadPredictor, machineMismatch, predict, predictorName, speedScale, type Predictor } from '@mvbench/predict';
import { environmentFingerprint } from '@mvbench/runner-core';
import { loadSpace } from '@mvbench/space';
import type { SweepEvents } from '@mvbench/sweep-run';
import { createProgress } from '../sweep/progress.ts';
import { repoRoot } from '../paths.ts';
import { integer, positive, printJson, table } from './output.ts';

const DEFAULT_DIR = join(repoRoot, 'results', 'predictors');

interface Target {
  runner: string;
  threads: number;
  dir?: string;
}

const checkRunner = (id: string): string => {
  if (!RUNNERS.ids.includes(id)) throw userError('UNKNOWN_RUNNER', `unknown runner '${id}' (runners: ${RUNNERS.ids.join(', ')})`);
  return id;
};

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const describeQuality = (p: Predictor) => {
  const q = p.crossValidation;
  const load = p.contendedIncluded ? ` (${p.contendedIncluded} measured under competing load)` : '';
  return `${q.specs} specs${load}, cross-validated: ${pct(q.within5)} within +/-5%, ${pct(q.within10)} within +/-10%, RMSPE ${pct(q.rmspe)}`;
};

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .argument('<spec...>', 'model specs, e.g. mobilevitv2_075:depth=1x2x1 swiftformer_xs:ffn=3')
    .description("predicted median latency of models on a runner, from a predictor built on this machine kind; nothing runs")
    .requiredOption('--runner <id>', 'runner id, e.g. ort-node:cpu, ort-web:wasm')
    .option('--threads <n>', 'thread count the predictor was built for', integer(1, 64), 1)
    .option('--predictor <file>', 'a predictor file (default: results/predictors/<runner>-t<threads>.json)')
    .option('--calibrate', "measure this machine's calibration (~3 s) and scale the prediction by its speed relative to the predictor's machine")
    .option('--any-machine', 'predict even when the predictor was built on another CPU or runtime version (with a warning)')
    .option('--json', 'machine-readable output')
    .action(async (specs: string[], o: Target & { predictor?: string; calibrate?: boolean; anyMachine?: boolean; json?: boolean }) => {
      const runner = checkRunner(o.runner);
      const models = specs.map(parseSpec);
      const file = o.predictor ?? join(DEFAULT_DIR, `${predictorName(runner, o.threads)}.json`);
      const p = loadPredictor(file);
      if (p.runner !== runner || p.threads !== o.threads)
        throw userError('BAD_PREDICTOR', `${file} predicts ${p.runner} with ${p.threads} thread(s), not ${runner} with ${o.threads}`);
      const versions = (await probeRunners()).find((r) => r.id === runner)?.versions ?? {};
      const mismatch = machineMismatch(p, environmentFingerprint(), versions);
      if (mismatch.length && !o.anyMachine)
        throw userError('BAD_PREDICTOR', `${file} was built for another machine or runtime: ${mismatch.join('; ')}. Build one here (mvbench predictor build --runner ${runner} --threads ${o.threads}) or pass --any-machine`);
      const notes = mismatch.map((m) => `warning: ${m}`);
      let scale = 1;
      if (o.calibrate) {
        const here = (await measureCalibration(() => {})).calibration;
        const s = here && speedScale(p, here);
        if (!here || !s) notes.push('warning: no calibration to scale by (this machine or the predictor lacks one); predictions are for the predictor machine');
        else {
          scale = s;
          notes.push(`this machine: ${describeCalibration(here)}; predictions scaled x${s.toFixed(3)}`);
        }
      } else if (p.calibration) {
        notes.push(`for a machine calibrated at ${p.calibration.matmulGflops1.toFixed(0)} GFLOP/s (1 thread): instances of one kind differ up to 2.7x, --calibrate scales to this one`);
      }
      const predictions = models.map((m) => predict(p, m, scale));
      if (o.json) return printJson({ predictor: file, runner, threads: o.threads, scale, notes, predictions });
      for (const n of notes) console.error(n);
      console.log(table(predictions.map((x) => [x.spec, x.ms.toFixed(2), `${x.lo.toFixed(2)}-${x.hi.toFixed(2)}`, x.outside.length ? `outside the space: ${x.outside.join('; ')}` : '']), ['spec', 'predicted ms', '90% interval', 'note']));
      console.log(`\n${runner}, ${o.threads} thread(s): ${describeQuality(p)} (${file})`);
    });

  const predictor = program.command('predictor').description('build latency predictors (mvbench predict uses them)');
  predictor
    .command('build')
    .description('measure sampled specs of the space on a runner, then fit a predictor; resumes its measurements')
    .requiredOption('--runner <id>', 'runner id, e.g. ort-node:cpu')
    .option('--threads <n>', 'thread count', integer(1, 64), 1)
    .option('--minutes <m>', 'measuring time (the fit and calibrations come on top)', positive, 15)
    .option('--specs <n>', 'measure this many specs instead of measuring for --minutes', integer(1))
    .option('--keep-contended', 'fit on cells measured under competing load too (a busy machine; the predictor records how many)')
    .option('--space <families|file.json>', 'the space to sample: family names (their default spaces) or a space file', 'mobilevit,mobilevitv2,swiftformer,mobilenetv2')
    .option('--seed <n>', 'sampling seed (keep it apart from the seeds of validation specs)', integer(0), 0)
    .option('--dir <dir>', 'where the predictor and its measurements go', DEFAULT_DIR)
    .action(async (o: Target & { minutes: number; specs?: number; keepContended?: boolean; space: string; seed: number; dir: string }) => {
      const runner = checkRunner(o.runner);
      const space = loadSpace(o.space);
      const events: SweepEvents = {
        log: (line) => console.error(line),
        warn: (line) => console.error(line),
        progress: (total, already, etaMs) => createProgress(total, already, true, etaMs),
        interrupted: (signal, newRows) => console.error(`\ninterrupted (${signal}): ${newRows} new measurements kept; run the same command to go on`),
      };
      const { file, predictor: p } = await buildPredictor({ runner, threads: o.threads, minutes: o.minutes, specs: o.specs, keepContended: o.keepContended, space, seed: o.seed, dir: o.dir, events });
      console.log(`predictor: ${file}\n${describeQuality(p)}`);
    });
  predictor
    .command('fit')
    .description('fit the predictor again from its stored measurements (after a change of features), measuring nothing')
    .requiredOption('--runner <id>', 'runner id')
    .option('--threads <n>', 'thread count', integer(1, 64), 1)
    .option('--space <families|file.json>', 'the space the measurements were sampled from', 'mobilevit,mobilevitv2,swiftformer,mobilenetv2')
    .option('--seed <n>', 'the seed the measurements were sampled with', integer(0), 0)
    .option('--dir <dir>', 'where the predictor and its measurements are', DEFAULT_DIR)
    .option('--keep-contended', 'fit on cells measured under competing load too')
    .action((o: Target & { space: string; seed: number; dir: string; keepContended?: boolean }) => {
      const { file, predictor: p } = fitFromMeasurements({ runner: checkRunner(o.runner), threads: o.threads, space: loadSpace(o.space), seed: o.seed, dir: o.dir, keepContended: o.keepContended });
      console.log(`predictor: ${file}\n${describeQuality(p)}`);
    });
}
