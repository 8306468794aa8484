import { definePlan } from '../plan.ts';

/**
 * The complexity claim measured (packages/claims, `mvbench claims`): one macro architecture (MobileViTv2-0.5) with
 * each attention kind at 7 resolutions, 128-512 px, so the tokens of the first attention block ((R/16)^2: stride 8,
 * 2x2 patches) span 64-1024, 16x. `none` is the same network without token mixer: on runtimes without a per-node
 * profile the attention blocks' time is the difference to it. Every cell profiled (attention blocks' own time).
 */
export default definePlan({
  name: 'token-scaling',
  description: 'MobileViTv2-0.5 with mhsa, separable, additive and no attention at 128-512 px (64-1024 tokens per attention block), profiled',
  axes: [{ family: 'mobilevitv2', ids: ['mobilevitv2_050'], attention: ['mhsa', 'separable', 'additive', 'none'], resolution: [128, 192, 256, 320, 384, 448, 512] }],
  runners: [
    { runner: 'ort-node:cpu', threads: [1] },
    { runner: 'ort-web:wasm', threads: [1] },
  ],
  measure: { budgetMs: 1500, warmupMaxMs: 1000, minRuns: 10, processes: 2, targetRelCi: 0.02 },
  accuracy: 'none',
  profile: 'all',
  timeoutS: 300,
});
