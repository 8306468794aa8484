export { compile, release, run, type CompileOptions, type Program } from './compile.ts';
export { OP_TABLE } from './ops.ts';
export type { ConvSpec, Gradients, RunCtx, TF } from './kernel.ts';
