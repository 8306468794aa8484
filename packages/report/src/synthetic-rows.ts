/**
 * A fixed, realistic set of result rows for tests and the golden specs: four families, attention kinds and
 * width sweeps, Config-A/B pairs, two runners with 1 and 2 threads, published accuracy on canonical models,
 * failed cells, and profiles. Latencies are made up but shaped like ENVIRONMENT.md's reference numbers.
 */
import { SCHEMA_VERSION, type Accuracy, type Environment, type Profile, type ResultRow } from '@mvbench/results';

interface Model {
  spec: string;
  family: string;
  width: number;
  patch: string | null;
  attention: string;
  resolution: number;
  params: number;
  macs: number;
  /** published ImageNet-1k top-1 for canonical models */
  top1?: number;
  /** 1-thread ort-node median (ms) */
  ms: number;
}

const m = (spec: string, family: string, width: number, patch: string | null, attention: string, resolution: number,
  paramsM: number, gmacs: number, ms: number, top1?: number): Model =>
  ({ spec, family, width, patch, attention, resolution, params: Math.round(paramsM * 1e6), macs: Math.round(gmacs * 1e9), ms, top1 });

const MODELS: Model[] = [
  m('mobilevit_xxs', 'mobilevit', 1, 'A', 'mhsa', 256, 1.27, 0.36, 15.1, 68.9),
  m('mobilevit_xxs:patch=B', 'mobilevit', 1, 'B', 'mhsa', 256, 1.27, 0.33, 12.4),
  m('mobilevit_xs', 'mobilevit', 1, 'A', 'mhsa', 256, 2.32, 0.99, 31.5, 74.6),
  m('mobilevit_xs:patch=B', 'mobilevit', 1, 'B', 'mhsa', 256, 2.32, 0.93, 27.0),
  m('mobilevit_s', 'mobilevit', 1, 'A', 'mhsa', 256, 5.58, 1.84, 52.3, 78.3),
  m('mobilevitv2_050', 'mobilevitv2', 0.5, 'A', 'separable', 256, 1.37, 0.48, 13.5, 70.2),
  m('mobilevitv2_075', 'mobilevitv2', 0.75, 'A', 'separable', 256, 2.87, 1.05, 24.8, 75.6),
  m('mobilevitv2_100', 'mobilevitv2', 1, 'A', 'separable', 256, 4.9, 1.84, 38.9, 78.1),
  m('mobilevitv2_050:attention=additive', 'mobilevitv2', 0.5, 'A', 'additive', 256, 1.37, 0.47, 12.1),
  m('mobilevitv2_075:attention=additive', 'mobilevitv2', 0.75, 'A', 'additive', 256, 2.87, 1.03, 22.0),
  m('mobilevitv2_100:attention=additive', 'mobilevitv2', 1, 'A', 'additive', 256, 4.9, 1.81, 35.2),
  m('mobilevitv2_050:attention=mhsa', 'mobilevitv2', 0.5, 'A', 'mhsa', 256, 1.41, 0.52, 17.9),
  m('mobilevitv2_075:attention=mhsa', 'mobilevitv2', 0.75, 'A', 'mhsa', 256, 2.95, 1.12, 31.0),
  m('swiftformer_xs', 'swiftformer', 1, null, 'additive', 224, 3.48, 0.6, 18.5, 75.7),
  m('swiftformer_s', 'swiftformer', 1, null, 'additive', 224, 6.09, 0.99, 27.9, 78.5),
  m('swiftformer_xs:attention=separable', 'swiftformer', 1, null, 'separable', 224, 3.48, 0.6, 19.2),
  m('mobilenetv2_050', 'mobilenetv2', 0.5, null, 'none', 224, 1.97, 0.1, 4.1, 65.9),
  m('mobilenetv2_075', 'mobilenetv2', 0.75, null, 'none', 224, 2.64, 0.21, 7.2, 69.9),
  m('mobilenetv2_100', 'mobilenetv2', 1, null, 'none', 224, 3.5, 0.31, 9.8, 72.0),
];

const SETTINGS = [
  { runner: 'ort-node:cpu', threads: 1, factor: 1 },
  { runner: 'ort-node:cpu', threads: 2, factor: 0.68 },
  { runner: 'ort-web:wasm', threads: 1, factor: 1.9 },
];

export const ENV: Environment = {
  cpuModel: 'AMD EPYC 7B13', cores: 2, memoryGiB: 24, os: 'linux 6.1.0 x64', node: '20.20.2',
  commit: 'd0d3ce1f6a2b9c0e7d5a4b3c2d1e0f9a8b7c6d5e', dirty: false, timerResolutionNs: 42, runtime: {},
  calibration: {
    matmulGflops1: 96.4, matmulGflops2: 181.2, scaling2: 1.88, memoryGBps: 11.3, cpuFlags: ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni'],
    relSpread: 0.021, otherCpuShare: 0.004, workload: 'MatMul 512^3 fp32 on ort-node:cpu (onnxruntime-node 1.30.0); copy 64 MiB',
    durationMs: 1420, measuredAt: '2025-11-21T11:59:50.000Z',
  },
};

const RUNTIME: Record<string, Record<string, string>> = {
  'ort-node:cpu': { 'onnxruntime-node': '1.30.0' },
  'ort-web:wasm': { 'onnxruntime-web': '1.30.0' },
};

/** a deterministic wobble in [-1, 1] so the synthetic numbers are not suspiciously smooth */
const wobble = (s: string) => (([...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 2001) - 1000) / 1000;

function profileOf(model: Model, ms: number): Profile {
  const mhsa = model.attention === 'mhsa';
  const byCategory = {
    convolution: ms * 0.42, 'attention matmul': ms * (mhsa ? 0.14 : 0.05), 'attention reduce': ms * (mhsa ? 0.07 : 0.02),
    matmul: ms * 0.1, normalisation: ms * 0.05, activation: ms * 0.09, layout: ms * (mhsa ? 0.09 : 0.04), elementwise: ms * 0.03,
  };
  const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
  const byScope = {
    stem: total * 0.08, 'stages.0': total * 0.07, 'stages.1': total * 0.14, 'stages.2': total * 0.14, 'stages.2 attention': total * 0.13,
    'stages.3': total * 0.12, 'stages.3 attention': total * 0.12, 'stages.4': total * 0.07, 'stages.4 attention': total * 0.06,
    head: total * 0.02, 'runtime-inserted': total * 0.05,
  };
  const r4 = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));
  return { runs: 20, totalMs: Math.round(total * 1e4) / 1e4, byCategory: r4(byCategory), byScope: r4(byScope), byOp: r4({ Conv: ms * 0.42, MatMul: ms * 0.15 }) };
}

/** cells that fail, as a sweep records them: an error row with latency null */
const FAILURES: Record<string, { code: string; message: string }> = {
  'swiftformer_s|ort-web:wasm|1': { code: 'RUNNER_FAILED', message: 'session creation failed: out of memory (wasm memory limit 4 GiB)' },
  'mobilevit_s|ort-web:wasm|1': { code: 'TIMEOUT', message: 'cell exceeded its 120 s budget; killed' },
};

export function syntheticRows(): ResultRow[] {
  return SETTINGS.flatMap(({ runner, threads, factor }) =>
    MODELS.filter((model) => runner !== 'ort-web:wasm' || model.patch !== 'B').map((model): ResultRow => {
      const cell = `${model.spec}|${runner}|${threads}`;
      const error = FAILURES[cell] ?? null;
      const median = Math.round(model.ms * factor * (1 + 0.03 * wobble(cell)) * 1e4) / 1e4;
      const half = median * (0.006 + 0.004 * Math.abs(wobble(`${cell}ci`)));
      const accuracy: Accuracy = model.top1
        ? { kind: 'published', value: model.top1, metric: 'top1', dataset: 'ImageNet-1k val', source: `timm results-imagenet.csv (${model.spec})`, seed: null }
        : { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null };
      const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
      return {
        schema: SCHEMA_VERSION, sweep: 'golden-2025-11-21', plan: 'golden', cell, spec: model.spec, id: model.spec.split(':')[0],
        family: model.family, canonical: !model.spec.includes(':'),
        knobs: { width: model.width, patch: model.patch, attention: model.attention, resolution: model.resolution },
        params: model.params, macs: model.macs, accuracy, runner, threads, threadsUsed: error ? null : threads, graphOptimization: 'all',
        latency: error ? null : {
          n: 60, median, p10: r4(median * 0.97), p90: r4(median * 1.06), mean: r4(median * 1.01), stdev: r4(median * 0.03),
          min: r4(median * 0.95), max: r4(median * 1.2), ciLow: r4(median - half), ciHigh: r4(median + half), ciLevel: 0.95, relCiHalfWidth: r4(half / median),
        },
        samplesMs: null, processes: 1, runnerSettings: {}, converged: error ? null : true, warmupRuns: error ? null : 10,
        sessionCreateMs: error ? null : 120, firstRunMs: error ? null : median * 3, peakRssMb: error ? null : 180,
        profile: !error && threads === 1 && runner === 'ort-node:cpu' && ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs'].includes(model.spec)
          ? profileOf(model, median * 1.08) : null,
        env: { ...ENV, runtime: RUNTIME[runner] }, startedAt: '2025-11-21T12:00:00.000Z', durationS: 3.2, error,
        // a predictor's estimate within about +/-8% on the onnxruntime-node cells (sweep --predict)
        ...(!error && runner === 'ort-node:cpu'
          ? { predicted: { ms: r4(median * (1 + 0.08 * wobble(`${cell}p`))), lo: r4(median * 0.9), hi: r4(median * 1.1), predictor: `ort-node-cpu-t${threads}`, outside: [] } }
          : {}),
      };
    }),
  );
}
