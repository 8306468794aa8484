import { definePlan } from '../plan.ts';

/** The regression check `.ci/run` runs against the parent commit: one small model per attention kind, CI stays short. */
export default definePlan({
  name: 'regress-ci',
  description: 'CI regression check: three small models (one per attention kind), 1 thread, short interleaved runs',
  models: ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs'],
  runners: [{ runner: 'ort-node:cpu', threads: [1] }],
  measure: { budgetMs: 2000, minRuns: 30 },
  accuracy: 'none',
});
