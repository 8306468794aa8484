/** Runner ids -> factories. Runners are chosen explicitly by id (plans, --runner); nothing registers on import. */
import { userError } from '@mvbench/ir';
import type { Runner } from '@mvbench/runner-core';
import { createNullRunner } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';

const FACTORIES: Record<string, () => Runner> = {
  'ort-node:cpu': createOrtNodeRunner,
  null: createNullRunner,
};

export const runnerIds = (): string[] => Object.keys(FACTORIES);

export function createRunner(id: string): Runner {
  const factory = FACTORIES[id];
  if (!factory) throw userError('UNKNOWN_RUNNER', `unknown runner '${id}'; available runners: ${runnerIds().join(', ')}`);
  return factory();
}
