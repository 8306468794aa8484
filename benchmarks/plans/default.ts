import { definePlan } from '@mvbench/plan';

/**
 * The default sweep (`pnpm bench:sweep`): the papers' canonical models, their Config-A/B and attention-kind
 * variants, and the MobileNetV2 baseline, on onnxruntime-node with 1 and 2 threads. Under 10 minutes on 2 cores.
 */
export default definePlan({
  name: 'default',
  description: 'MobileViT xxs/xs/s x Config-A/B, MobileViTv2 0.5-2.0 x attention kinds, SwiftFormer xs/s/l1 x attention kinds, MobileNetV2',
  axes: [
    { family: 'mobilevit', patch: ['A', 'B'] },
    { family: 'mobilevitv2', widths: [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2], attention: ['separable', 'additive', 'mhsa'] },
    { family: 'swiftformer', ids: ['swiftformer_xs', 'swiftformer_s', 'swiftformer_l1'], attention: ['additive', 'separable', 'mhsa'] },
    { family: 'mobilenetv2' },
  ],
  runners: [{ runner: 'ort-node:cpu', threads: [1, 2] }],
  // three fresh processes per cell, samples pooled: single processes land at levels several percent apart here
  // (benchmarks/precision), and 2-thread runs are bimodal between processes
  measure: { budgetMs: 2500, warmupMaxMs: 1500, targetRelCi: 0.01, processes: 3 },
  accuracy: 'published',
  profile: 'canonical',
});
