/**
 * Result rows for tests (`@mvbench/claims/testing`): the cells the claims need, with samples, and a token-scaling
 * sweep whose attention time grows as k^2 (mhsa) and k (separable, additive).
 */
import { SCHEMA_VERSION, type ResultRow } from '@mvbench/results';

const FAMILIES = ['mobilevitv2', 'mobilevit', 'swiftformer', 'mobilenetv2'];

/** 30 samples around `ms`, +/-1%, deterministic */
const samples = (ms: number) => Array.from({ length: 30 }, (_, i) => ms * (1 + 0.01 * Math.sin(i * 2.3)));

export function claimRow(spec: string, ms: number, o: { runner?: string; threads?: number; attentionMs?: number; top1?: number } = {}): ResultRow {
  const [id, knobText = ''] = spec.split(':');
  const knobs = Object.fromEntries(knobText.split(',').filter(Boolean).map((kv) => kv.split('=')));
  const family = FAMILIES.find((f) => id.startsWith(f))!;
  const { runner = 'ort-node:cpu', threads = 1 } = o;
  const s = samples(ms);
  const sorted = [...s].sort((a, b) => a - b);
  return {
    schema: SCHEMA_VERSION, sweep: 'claims-test', plan: 'claims-test', cell: `${spec}|${runner}|t${threads}|all`, spec, id, family, canonical: spec === id,
    knobs: {
      width: 1, patch: knobs.patch ?? (family.startsWith('mobilevit') ? 'A' : null), attention: knobs.attention ?? 'separable',
      resolution: Number(knobs.resolution ?? 256),
    },
    params: 1e6, macs: 1e9,
    accuracy: o.top1 === undefined
      ? { kind: 'none', value: null, metric: null, dataset: null, source: null, seed: null }
      : { kind: 'published', value: o.top1, metric: 'top1', dataset: 'ImageNet-1k val', source: 'model zoo', seed: null },
    runner, threads, threadsUsed: threads, runnerSettings: {}, graphOptimization: 'all',
    latency: {
      n: s.length, median: ms, ciLow: sorted[9], ciHigh: sorted[20], ciLevel: 0.95, relCiHalfWidth: 0.005, p10: sorted[3], p90: sorted[26],
      mean: ms, stdev: ms * 0.007, min: sorted[0], max: sorted[29],
    },
    samplesMs: s, processes: 1, converged: true, warmupRuns: 10, sessionCreateMs: 100, firstRunMs: ms * 2, peakRssMb: 150,
    profile: o.attentionMs === undefined ? null : {
      runs: 10, totalMs: ms, byCategory: { convolution: ms - o.attentionMs, 'attention matmul': o.attentionMs },
      byScope: { 'stages.2': ms - o.attentionMs, 'stages.2 attention': o.attentionMs * 0.75, 'stages.3 attention': o.attentionMs * 0.25 }, byOp: {},
    },
    env: null, startedAt: '2026-12-02T12:00:00.000Z', durationS: 2, error: null,
  } as ResultRow;
}

/** MobileViTv2-0.5 at 128-448 px on ort-node:cpu (profiled) and ort-web:wasm (with attention=none rows) */
export function scalingRows(): ResultRow[] {
  const cost = { mhsa: (k: number) => 0.02 * k + 0.002 * k * k, separable: (k: number) => 0.02 * k, additive: (k: number) => 0.015 * k, none: () => 0 };
  return [128, 192, 256, 320, 384, 448].flatMap((r) => {
    const k = (r / 16) ** 2;
    const rest = 0.01 * k + 2;
    return (['mhsa', 'separable', 'additive', 'none'] as const).flatMap((a) => {
      const spec = `mobilevitv2_050:attention=${a},resolution=${r}`;
      return [
        claimRow(spec, rest + cost[a](k), { attentionMs: cost[a](k) }),
        claimRow(spec, 3 * (rest + cost[a](k)), { runner: 'ort-web:wasm' }),
      ];
    });
  });
}

/** every pair the speed and overhead claims compare, on ort-node:cpu with 1 thread; each claim's outcome is fixed */
export function claimsRows(): ResultRow[] {
  const ms: [string, number, number?][] = [
    ['mobilevitv2_075', 10, 75.6], ['mobilevit_xs', 31, 74.8], // 3.1x: holds
    ['swiftformer_s', 20, 78.5], ['mobilevitv2_100', 28, 78.1], // 1.4x: holds weaker
    ['mobilevit_xxs', 10], ['mobilevit_xxs:patch=B', 10], // does not hold
    ['mobilevit_xs:patch=B', 35], ['mobilevit_s', 40], ['mobilevit_s:patch=B', 30], // reversed, holds
    ['mobilenetv2_100', 8],
    ['swiftformer_xs', 12], ['swiftformer_xs:attention=none', 10], ['swiftformer_s:attention=none', 19.5],
  ];
  return ms.map(([spec, m, top1]) => claimRow(spec, m, { top1 }));
}
