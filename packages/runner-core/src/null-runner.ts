/**
 * A runner without a runtime, for pipeline tests only (tinygrad's NULL device): it checks the feeds against the
 * declared inputs and returns zero-filled outputs of the declared shapes. Its numbers mean nothing.
 */
import { MvbenchError } from '@mvbench/core';
import { numel } from '@mvbench/ir';
import type { ModelArtifact, Prepared, Runner } from './runner.ts';

interface NullPrepared extends Prepared {
  readonly model: ModelArtifact;
}

export function createNullRunner(): Runner<NullPrepared> {
  return {
    id: 'null',
    versions: {},
    supports: () => ({ ok: true }),
    prepare: async (model, settings) => ({ model, settingsUsed: { threads: settings.threads } }),
    run: async ({ model }, feeds) => {
      for (const spec of model.inputs) {
        const got = feeds[spec.name]?.length;
        if (got !== numel(spec.shape)) {
          throw new MvbenchError(
            'RUNNER_FAILED',
            `null runner, model '${model.id}': input '${spec.name}' needs ${numel(spec.shape)} values ` +
              `for shape [${spec.shape}], got ${got ?? 'no feed'}`,
          );
        }
      }
      return Object.fromEntries(
        model.outputs.map((o) => [o.name, { data: new Float32Array(numel(o.shape)), shape: [...o.shape] }]),
      );
    },
    dispose: async () => {},
  };
}
