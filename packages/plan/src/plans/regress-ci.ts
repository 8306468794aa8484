import { definePlan } from '../plan.ts';

/** The regression check `.ci/run` runs against the parent commit: small enough to keep CI short. */
export default definePlan({
  name: 'regress-ci',
  description: 'CI regression check: two small models, 1 thread, short interleaved runs',
  models: ['mobilevit_xxs', 'mobilevitv2_050'],
  runners: [{ runner: 'ort-node:cpu', threads: [1] }],
  measure: { budgetMs: 2000, minRuns: 30 },
  accuracy: 'none',
});
