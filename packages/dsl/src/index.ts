export * from './builder.ts';
export * from './rearrange.ts';
export * from './layers.ts';
export * from './attention.ts';
export * from './family.ts';
export * from './spec.ts';
export * from './registry.ts';
export { nearest } from './messages.ts';
