/**
 * Every runner, listed once: each runner package's descriptors (id, runtime, what it shares, a lazy factory).
 * Runners are chosen explicitly by id (plans, --runner); nothing registers on import, and reading this list loads
 * no runtime: a cell's process imports its one runtime, not all of them (onnxruntime-web and tfjs cost ~0.3 s of
 * module loading per process, paid three times per cell by the default plan).
 */
import { NULL_RUNNERS, runnerCatalogue } from '@mvbench/runner-core';
import { ORT_NODE_RUNNERS } from '@mvbench/runner-ort-node/descriptors';
import { ORT_WEB_RUNNERS } from '@mvbench/runner-ort-web/descriptors';
import { TFJS_RUNNERS } from '@mvbench/runner-tfjs/descriptors';

export const RUNNERS = runnerCatalogue([...ORT_NODE_RUNNERS, ...TFJS_RUNNERS, ...ORT_WEB_RUNNERS, ...NULL_RUNNERS]);

export interface RunnerStatus {
  id: string;
  runtime: string;
  versions: Record<string, string>;
  /** why it cannot run on this machine; absent when it can */
  unavailable?: string;
}

/** every runner's versions and availability on this machine (package files and a browser lookup; no runtime loads) */
export const probeRunners = (): Promise<RunnerStatus[]> =>
  Promise.all(
    RUNNERS.ids.map(async (id) => {
      const d = RUNNERS.get(id);
      const probe = (await d.probe?.()) ?? { versions: {} };
      return { id, runtime: d.runtime, ...probe };
    }),
  );

/** the runtimes' package versions over every runner (what `mvbench --version` prints) */
export async function runtimeVersions(): Promise<Record<string, string>> {
  const all = (await probeRunners()).flatMap((r) => Object.entries(r.versions));
  return Object.fromEntries(all.sort(([a], [b]) => a.localeCompare(b)));
}
