/** The onnxruntime-node runner as data; light: the runtime loads only in create(). */
import type { RunnerDescriptor } from '@mvbench/runner-core';

export const ORT_NODE_CPU = 'ort-node:cpu';

export const ORT_NODE_RUNNERS: readonly RunnerDescriptor[] = [
  { id: ORT_NODE_CPU, runtime: 'onnxruntime-node', create: async () => (await import('./ort-node-runner.ts')).createOrtNodeRunner() },
];
