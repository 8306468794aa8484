/** The onnxruntime-node runner as data; light: the runtime loads only in create(). */
import { createRequire } from 'node:module';
import type { RunnerDescriptor } from '@mvbench/runner-core';

export const ORT_NODE_CPU = 'ort-node:cpu';

const version = (): string => (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

export const ORT_NODE_RUNNERS: readonly RunnerDescriptor[] = [
  {
    id: ORT_NODE_CPU,
    runtime: 'onnxruntime-node',
    create: async () => (await import('./ort-node-runner.ts')).createOrtNodeRunner(),
    probe: async () => ({ versions: { 'onnxruntime-node': version() } }),
  },
];
