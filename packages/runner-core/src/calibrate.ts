/**
 * A machine calibration measured in the same run as the results it accompanies: instances of one machine kind
 * (same CPU string, cores, memory) differ up to ~2.7x, so a latency is only comparable across runs next to one.
 *
 *   matmul:  an N x N x N fp32 MatMul on the given runner with 1 and 2 intra-op threads, median of short
 *            repetitions via measure() -> GFLOP/s (2 N^3 FLOP per run) and the 2-thread scaling (ratio)
 *   memory:  a typed-array copy far larger than a core's L2 -> GB/s (bytes read + bytes written, as STREAM copy)
 *   cpu:     the /proc/cpuinfo flags that select different kernels (AVX2, AVX-512, VNNI, ...)
 *
 * Sizes: N = 512 is 268 MFLOP per run (~3-13 ms on this project's machines), long enough that timer and thread
 * wake-up costs (~10-50 us) stay under 1% and 2 threads have work to split, short enough that ~30 runs per thread
 * count take well under a second; its operands (3 x 1 MiB) sit in L2/L3, so it measures compute, not memory.
 * The copy moves 2 x 64 MiB per repetition, 16x a core's L2 (beyond the last-level cache on most parts; a part
 * with a larger L3 reports cache bandwidth, which is what a model's working set sees there too).
 * The runner, and the MatMul artifact (built by packages/pipeline), come from the caller: this package knows no runtime.
 */
import { readFileSync } from 'node:fs';
import { measure } from './measure.ts';
import type { ModelArtifact, Runner } from './runner.ts';
import { fixtureInput } from './fixture-input.ts';

export const CALIBRATION_MATMUL_N = 512;
const COPY_MIB = 64;
/** the flags whose presence changes which kernels onnxruntime, XNNPACK and MLAS pick */
export const KERNEL_FLAGS = ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'amx_tile'] as const;

export interface Calibration {
  /** MatMul GFLOP/s with 1 intra-op thread */
  matmulGflops1: number;
  /** the same with 2 intra-op threads */
  matmulGflops2: number;
  /** matmulGflops2 / matmulGflops1: how much the second core helps (2 = perfect) */
  scaling2: number;
  /** typed-array copy, GB/s (bytes read + written) */
  memoryGBps: number;
  /** present flags of KERNEL_FLAGS; empty when /proc/cpuinfo is unreadable */
  cpuFlags: string[];
  /** largest (p90 - p10) / median over the three figures' repetitions: how noisy this calibration was */
  relSpread: number;
  /** CPU share of other processes during the MatMul runs (0..1, largest of the two): above ~0.1 the figures are low */
  otherCpuShare: number;
  /** what was measured, e.g. 'MatMul 512^3 fp32 on ort-node:cpu (onnxruntime-node 1.30.0); copy 64 MiB' */
  workload: string;
  /** wall time the calibration took, ms */
  durationMs: number;
  /** ISO time it was measured */
  measuredAt: string;
}

export interface CalibrateOptions {
  /** cap of each MatMul measurement, ms (default 400) */
  budgetMs?: number;
}

/** MatMul GFLOP/s in the given thread count: median of short runs after a brief warm-up */
async function matmulGflops(runner: Runner, model: ModelArtifact, threads: number, budgetMs: number) {
  const n = model.inputs[0].shape[0];
  const prepared = await runner.prepare(model, { threads, graphOptimization: 'all' });
  try {
    const feeds = Object.fromEntries(model.inputs.map((i) => [i.name, fixtureInput(i.shape)]));
    const m = await measure(() => runner.run(prepared, feeds).then(() => undefined), {
      budgetMs,
      minRuns: 15,
      maxRuns: 200,
      targetRelCi: 0.01,
      warmup: { window: 3, minRuns: 6, maxRuns: 30, maxMs: budgetMs / 2 },
    });
    return { gflops: (2 * n ** 3) / (m.stats.median * 1e6), spread: (m.stats.p90 - m.stats.p10) / m.stats.median, other: m.otherCpuShare };
  } finally {
    await runner.dispose(prepared);
  }
}

async function copyGBps(mib: number) {
  const len = (mib * 2 ** 20) / 8;
  const src = new Float64Array(len).fill(1.5);
  const dst = new Float64Array(len);
  const m = await measure(() => void dst.set(src), { minRuns: 7, maxRuns: 7, warmup: { window: 1, minRuns: 2, maxRuns: 2 } });
  return { gbps: (2 * mib * 2 ** 20) / (m.stats.median * 1e6), spread: (m.stats.p90 - m.stats.p10) / m.stats.median };
}

export function cpuKernelFlags(cpuinfo = '/proc/cpuinfo'): string[] {
  try {
    const line = readFileSync(cpuinfo, 'utf8').split('\n').find((l) => /^flags\s*:/.test(l)) ?? '';
    const flags = new Set(line.replace(/^flags\s*:/, '').trim().split(/\s+/));
    return KERNEL_FLAGS.filter((f) => flags.has(f));
  } catch {
    return [];
  }
}

/**
 * Measures the calibration on `runner` with `matmul` (an N x N x N MatMul: see pipeline's calibrationArtifact).
 * `budgetMs` caps each MatMul measurement (default 400 ms); the whole takes ~1-2 s plus two session creations.
 */
export async function calibrate(runner: Runner, matmul: ModelArtifact, opts: CalibrateOptions = {}): Promise<Calibration> {
  const t0 = performance.now();
  const budgetMs = opts.budgetMs ?? 400;
  const one = await matmulGflops(runner, matmul, 1, budgetMs);
  const two = await matmulGflops(runner, matmul, 2, budgetMs);
  const copy = await copyGBps(COPY_MIB);
  const n = matmul.inputs[0].shape[0];
  const versions = Object.entries(runner.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    matmulGflops1: r3(one.gflops),
    matmulGflops2: r3(two.gflops),
    scaling2: r3(two.gflops / one.gflops),
    memoryGBps: r3(copy.gbps),
    cpuFlags: cpuKernelFlags(),
    relSpread: r3(Math.max(one.spread, two.spread, copy.spread)),
    otherCpuShare: r3(Math.max(one.other, two.other)),
    workload: `MatMul ${n}^3 fp32 on ${runner.id}${versions ? ` (${versions})` : ''}; copy ${COPY_MIB} MiB`,
    durationMs: Math.round(performance.now() - t0),
    measuredAt: new Date().toISOString(),
  };
}
