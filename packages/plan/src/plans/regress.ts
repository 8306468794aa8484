import { definePlan } from '../plan.ts';

/** `pnpm bench:regress`: one model per attention kind and the CNN baseline, measured interleaved against the base. */
export default definePlan({
  name: 'regress',
  description: 'regression check: one model of each family on onnxruntime-node, 1 thread',
  models: ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050'],
  runners: [{ runner: 'ort-node:cpu', threads: [1] }],
  measure: { budgetMs: 3000, minRuns: 30 },
  accuracy: 'none',
});
