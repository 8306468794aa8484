import type { Command } from 'commander';
import { fixtureInput } from '@mvbench/runner-core';
import { prepareModel } from '@mvbench/pipeline';
import { topK } from '@mvbench/pipeline';
import { loadImage, preprocessingFor } from '@mvbench/data';
import { userError } from '@mvbench/core';
import { FAMILIES, parseSpec } from '@mvbench/dsl';
import type { PreparedModel } from '@mvbench/pipeline';
import { RUNNERS, timeModel, type CellOutcome } from '@mvbench/cell';
import { onnxFileArtifact } from '@mvbench/sweep-run';
import { fraction, integer, positive, printJson, table } from './output.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('<model>', 'model spec or .onnx file')
    .option('--weights <file.safetensors>', 'checkpoint for a model spec')
    .option('--runner <id>', 'runner to execute on', 'ort-node:cpu')
    .option('--threads <n>', 'intra-op threads', integer(1, 64), 1)
    .option('--seed <n>', 'seed of the synthetic input (the parity fixtures use 12345)', integer(0), 12345)
    .option('--image <file...>', "classify these images (JPEG, PNG, WebP) with the family's reference preprocessing instead")
    .option('--input-shape <shapes>', 'an .onnx model with dynamic dimensions: its input shape, e.g. 1x3x224x224 (name=1x3x224x224 for one of several inputs; comma-separated)')
    .option('--preprocess <family|id>', 'preprocessing for --image when the model is an .onnx file (default: the spec\'s family)')
    .option('--warmup <n>', 'time it: exactly n untimed runs first (default: until window medians settle)', integer(0, 100_000))
    .option('--min-runs <n>', 'time it: at least n timed runs per process (default 20)', integer(6))
    .option('--max-runs <n>', 'time it: at most n timed runs per process (default 2000)', integer(6))
    .option('--processes <n>', 'time it: in n fresh processes, samples pooled (default 1)', integer(1, 20))
    .option('--target-ci <fraction>', 'time it: until the 95% CI half-width of the median is within this fraction (default 0.01)', fraction)
    .option('--budget-ms <ms>', 'time it: wall-time limit of the timed runs per process (default 10000)', positive)
    .option('--json', 'machine-readable output')
    .description('one inference on a seeded input (or each --image) with its top-5; with --min-runs, --warmup, ... also its latency, measured as a sweep measures a cell')
    .action(async (spec: string, opts: RunFlags) => {
      const model = spec.endsWith('.onnx') ? onnxModel(spec, opts) : prepareModel(spec, { weights: opts.weights });
      const runner = await RUNNERS.create(opts.runner);
      try {
        const prepared = await runner.prepare(model.artifact, { threads: opts.threads });
        const input = model.artifact.inputs[0];
        const results = [];
        for (const [name, feed] of await inputsFor(model, opts)) {
          const logits = (await runner.run(prepared, { [input.name]: feed }))[model.artifact.outputs[0].name].data;
          results.push({ input: name, top5: topK(logits, 5).map((i) => ({ index: i, logit: logits[i] })) });
        }
        await runner.dispose(prepared);
        const latency = timing(opts) && (await timeModel(model.artifact, { runner: opts.runner, threads: opts.threads, measure: timing(opts)!, processes: opts.processes ?? 1, timeoutS: 600 }));
        if (opts.json) return printJson({ model: model.artifact.id, runner: runner.id, settings: prepared.settingsUsed, ...(opts.image ? { images: results } : { top5: results[0].top5 }), ...(latency ? { latency } : {}) });
        console.log(`${model.artifact.id} on ${runner.id} (${prepared.settingsUsed.threads} thread(s))`);
        for (const r of results) {
          if (opts.image) console.log(`\n${r.input}`);
          console.log(table(r.top5.map((t, k) => [k + 1, t.index, t.logit.toPrecision(6)]), ['rank', 'class', 'logit']));
        }
        if (latency) console.log(`\n${describeLatency(latency, opts.processes ?? 1)}`);
      } finally {
        await runner.dispose();
      }
    });
}

/** the measurement the timing flags ask for (measure()'s defaults for the rest), or undefined: no timing */
function timing(o: RunFlags) {
  if ([o.warmup, o.minRuns, o.maxRuns, o.processes, o.targetCi, o.budgetMs].every((v) => v === undefined)) return undefined;
  if (o.minRuns !== undefined && o.maxRuns !== undefined && o.minRuns > o.maxRuns) throw userError('BAD_ARGUMENT', `--min-runs ${o.minRuns} exceeds --max-runs ${o.maxRuns}`);
  return { warmupRuns: o.warmup, minRuns: o.minRuns, maxRuns: o.maxRuns, targetRelCi: o.targetCi, budgetMs: o.budgetMs };
}

function describeLatency(c: CellOutcome, processes: number): string {
  if (!c.ok) throw userError('RUNNER_FAILED', `timing failed: ${c.code}: ${c.message}`);
  const s = c.stats;
  return (
    `latency: median ${s.median.toFixed(3)} ms, 95% CI [${s.ciLow.toFixed(3)}, ${s.ciHigh.toFixed(3)}] (±${(s.relCiHalfWidth * 100).toFixed(1)}%), ` +
    `p10-p90 ${s.p10.toFixed(3)}-${s.p90.toFixed(3)} ms, min ${s.min.toFixed(3)}, ${s.n} runs in ${processes} process(es) after ${c.warmupRuns} warm-up runs` +
    `${c.converged ? '' : ' (CI target not reached)'}; session ${c.sessionCreateMs.toFixed(0)} ms, first run ${c.firstRunMs.toFixed(1)} ms`
  );
}

/** any .onnx file as onnxruntime reads it (ops outside mvbench's IR included), its dynamic dimensions from --input-shape */
function onnxModel(file: string, opts: RunFlags): Pick<PreparedModel, 'artifact' | 'built'> {
  if (opts.weights) throw userError('BAD_ARGUMENT', '--weights applies to model specs, not to .onnx files');
  return { artifact: onnxFileArtifact(file, opts.inputShape?.split(',').map((x) => x.trim())) };
}

interface RunFlags {
  inputShape?: string;
  weights?: string;
  runner: string;
  threads: number;
  seed: number;
  image?: string[];
  preprocess?: string;
  json?: boolean;
  warmup?: number;
  minRuns?: number;
  maxRuns?: number;
  processes?: number;
  targetCi?: number;
  budgetMs?: number;
}

/** the seeded input, or each image preprocessed for the model's family at its input size */
async function inputsFor(model: Pick<PreparedModel, 'artifact' | 'built'>, opts: RunFlags): Promise<[string, Float32Array][]> {
  const shape = model.artifact.inputs[0].shape;
  if (!opts.image) return [['seeded input', fixtureInput(shape, opts.seed)]];
  // --preprocess names a family or any model spec of it; a spec model brings its own family
  const recipe = opts.preprocess ? (FAMILIES.find((f) => f.name === opts.preprocess)?.name ?? parseSpec(opts.preprocess).family.name) : model.built?.spec.family.name;
  if (!recipe) throw userError('BAD_ARGUMENT', `--image with an .onnx model needs --preprocess <family|id> (how its images were normalised)`);
  if (shape.length !== 4 || shape[0] !== 1 || shape[2] !== shape[3]) throw userError('BAD_ARGUMENT', `--image needs a model input of shape [1, 3, R, R], got [${shape}]`);
  const prep = preprocessingFor(recipe, shape[2]);
  return Promise.all(opts.image.map(async (file) => [file, await loadImage(file, prep)] as [string, Float32Array]));
}
