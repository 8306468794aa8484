import { definePlan } from '../plan.ts';

/** A sweep that finishes in well under a minute, for tests and a first look. */
export default definePlan({
  name: 'smoke',
  description: 'the smallest model of each family (one of each attention kind) and one Config-B variant, 1 thread, short measurement',
  models: ['mobilevit_xxs', 'mobilevit_xxs:patch=B', 'mobilevitv2_050', 'swiftformer_xs', 'mobilenetv2_050'],
  runners: [{ runner: 'ort-node:cpu', threads: [1] }],
  measure: { budgetMs: 400, warmupMaxMs: 300, minRuns: 10, targetRelCi: 0.02 },
  accuracy: 'published',
  profile: 'all',
});
