/**
 * One benchmark cell in a fresh process, for precision.ts: loads a model into onnxruntime-node and times it
 * (a) the naive way, 10 warm-up + 60 timed runs, and (b) with measure() (its defaults unless given), in that order,
 * on one session.
 * Both go through measure() (the naive loop as fixed counts), so all timing stays in runner-core.
 * Prints one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fixtureInput, measure, peakRssMb, timeOnce, type Measurement } from '@mvbench/runner-core';
import { createOrtNodeRunner, type OrtPrepared } from '@mvbench/runner-ort-node';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string' },
    threads: { type: 'string', default: '1' },
    input: { type: 'string', default: 'input' },
    shape: { type: 'string', default: '1,3,256,256' },
    output: { type: 'string', default: 'logits' },
    'gc-between': { type: 'boolean', default: false },
    'min-runs': { type: 'string' }, // measure() options; its defaults when absent
    'target-rel-ci': { type: 'string' },
    'budget-ms': { type: 'string' },
  },
});
if (!a.model) throw new Error('cell.ts: --model <path.onnx> is required');
const shape = a.shape.split(',').map(Number);

const runner = createOrtNodeRunner();
const model = {
  id: a.model,
  onnx: readFileSync(a.model),
  inputs: [{ name: a.input, shape, dtype: 'float32' as const }],
  outputs: [{ name: a.output, shape: [], dtype: 'float32' as const }],
  ops: [],
};
let prepared!: OrtPrepared;
const sessionMs = await timeOnce(async () => {
  prepared = await runner.prepare(model, { threads: Number(a.threads) });
});
const feeds = { [a.input]: fixtureInput(shape) };
const run = async () => void (await runner.run(prepared, feeds));
const firstInferenceMs = await timeOnce(run);

const naive = await measure(run, {
  warmup: { window: 10, minRuns: 10, maxRuns: 10 },
  minRuns: 60,
  maxRuns: 60,
  targetRelCi: 0,
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const measured = await measure(run, {
  gcBetween: a['gc-between'],
  minRuns: num(a['min-runs']),
  targetRelCi: num(a['target-rel-ci']),
  budgetMs: num(a['budget-ms']),
});
await runner.dispose();

const brief = ({ samplesMs, ...m }: Measurement) => ({ ...m, samplesMs: samplesMs.map((x) => +x.toFixed(4)) });
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    sessionMs,
    firstInferenceMs,
    naive: brief(naive),
    measured: brief(measured),
    peakRssMb: peakRssMb(),
    cpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
