/**
 * Runner descriptors: every runner is listed once, as data (STYLE principle 8). A descriptor names the runner, the
 * runtime it loads and what it shares with other cells, and creates it on demand: `create` imports the runtime
 * lazily, so a process that reads descriptors (the sweep, a cell of another runtime) loads no runtime it does not run.
 * A runner package exports its descriptors from a light module (`@mvbench/runner-x/descriptors`); the one list of
 * all runners is the cell engine's (packages/cell).
 */
import { userError } from '@mvbench/core';
import type { Runner, RunnerId } from './runner.ts';

/** what a runner shares across cell processes: the sweep keeps one and hands its handle to each cell */
export type SharedResource = 'browser';

/** handles of shared resources, as values: they travel to a cell's process inside its job */
export interface RunnerContext {
  /** DevTools endpoint of the shared Chromium; a browser runner without one launches its own */
  browserWs?: string;
}

/** what a runner would run with on this machine, found without loading its runtime */
export interface RunnerProbe {
  /** package versions of the runtime (and a browser's version) */
  versions: Record<string, string>;
  /** why it cannot run here (a missing browser, an optional package not installed); absent when it can */
  unavailable?: string;
}

export interface RunnerDescriptor {
  id: RunnerId;
  /** the runtime it loads, e.g. 'onnxruntime-node', 'onnxruntime-web', 'tensorflow.js' */
  runtime: string;
  shares?: SharedResource;
  create(context: RunnerContext): Promise<Runner>;
  /** versions and availability here, read from package files (no runtime loads); absent: nothing to check */
  probe?(): Promise<RunnerProbe>;
}

export interface RunnerCatalogue {
  readonly ids: readonly RunnerId[];
  /** the descriptor of `id`; UNKNOWN_RUNNER listing the available ids otherwise (`where` prefixes the message) */
  get(id: string, where?: string): RunnerDescriptor;
  create(id: string, context?: RunnerContext): Promise<Runner>;
}

export function runnerCatalogue(descriptors: readonly RunnerDescriptor[]): RunnerCatalogue {
  const byId = new Map(descriptors.map((d) => [d.id, d]));
  if (byId.size < descriptors.length) throw new Error('runnerCatalogue: a runner id is listed twice');
  const ids = [...byId.keys()];
  const get = (id: string, where?: string): RunnerDescriptor => {
    const d = byId.get(id);
    if (!d) throw userError('UNKNOWN_RUNNER', `${where ? `${where}: ` : ''}unknown runner '${id}'; available runners: ${ids.join(', ')}`);
    return d;
  };
  return { ids, get, create: (id, context = {}) => get(id).create(context) };
}

/** the thread-count check of every runner's prepare (plans allow 1..64; a runner takes any positive integer) */
export function checkThreads(runnerId: RunnerId, threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw userError('BAD_ARGUMENT', `${runnerId}: threads must be a positive integer, got ${threads}`);
}

/** the null runner (no runtime), for pipeline tests */
export const NULL_RUNNERS: readonly RunnerDescriptor[] = [
  { id: 'null', runtime: 'none', create: async () => (await import('./null-runner.ts')).createNullRunner() },
];
