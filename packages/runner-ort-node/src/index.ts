export { createOrtNodeRunner, ORT_NODE_CPU, type OrtPrepared } from './ort-node-runner.ts';
export { endProfile, type KernelTiming } from './profile.ts';
