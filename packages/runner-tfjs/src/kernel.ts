/** What an op implementation sees while the graph compiles (compile.ts) and what it hands back. */
import type { Attrs, Node, Shape } from '@mvbench/ir';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { TF } from './backends.ts';
import type { Layout } from './layout.ts';

export interface NodeCtx {
  tf: TF;
  node: Node;
  /** false when the caller asked for no graph optimisation: no op absorbs another */
  fuse: boolean;
  /** logical (ONNX) shape of input i, or of a value by name */
  shape(i: number | string): Shape;
  /** logical shape of output i; after absorb(), of the absorbed node's output */
  out(i?: number): Shape;
  has(i: number): boolean;
  /** values of a constant int64 input (shapes, axes, sizes) */
  ints(i: number): number[] | undefined;
  /** values of a constant float input or value */
  data(i: number | string): Float32Array | undefined;
  /** a tensor made while compiling that lives as long as the program */
  hold<T extends Tensor>(t: T): T;
  /** name of the value output 0 currently stands for */
  output(): string;
  /** the only node reading a value (default output()), when there is exactly one and it is not a graph output */
  consumer(value?: string): Node | undefined;
  /** `n`'s work is done by this kernel; the kernel's output 0 becomes n's output 0 */
  absorb(n: Node): void;
  fail(what: string): never;
}

export interface Kernel {
  /** layout of the operands it reads and the outputs it writes */
  mode: Layout;
  /** node inputs read at run time, in this order; every other input was captured while compiling */
  operands: number[];
  run(xs: Tensor[]): Tensor | Tensor[];
}

/** 'either': runs in the layout its inputs already have (NHWC when one of them is) */
export type Policy = Layout | 'either';

export interface OpImpl {
  layout: Policy | ((c: NodeCtx) => Policy);
  /** a kernel, or `{ alias: i }` when output 0 is input i unchanged */
  compile(c: NodeCtx, mode: Layout): Kernel | { alias: number };
}

export const kernel = (mode: Layout, operands: number[], run: Kernel['run']): Kernel => ({ mode, operands, run });

export const int = (a: Attrs, k: string, d: number): number => (a[k] as number | undefined) ?? d;
export const float = (a: Attrs, k: string, d: number): number => (a[k] as number | undefined) ?? d;
export const ints = (a: Attrs, k: string, d: readonly number[]): number[] => [...((a[k] as number[] | undefined) ?? d)];
export const str = (a: Attrs, k: string, d: string): string => (a[k] as string | undefined) ?? d;

/** the single value of a constant, when it holds exactly one */
export const scalar = (x: Float32Array | undefined): number | undefined => (x?.length === 1 ? x[0] : undefined);
