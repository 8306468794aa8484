export { createOrtNodeRunner, type OrtPrepared } from './ort-node-runner.ts';
export { ORT_NODE_CPU } from './descriptors.ts';
export { endProfile, type KernelTiming } from './profile.ts';
