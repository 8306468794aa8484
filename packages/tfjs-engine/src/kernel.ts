/** What an op implementation sees while the graph compiles (compile.ts) and what it hands back. */
import type { Attrs, Node, Shape } from '@mvbench/ir';
import type * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D, Variable } from '@tensorflow/tfjs-core';
import type { Layout } from './layout.ts';

export type TF = typeof tfc;

/** how a forward pass runs: inference is `{ training: false }` */
export interface RunCtx {
  /** batch statistics in BatchNormalization, running buffers updated unless updateStats is false */
  training: boolean;
  updateStats?: boolean;
  /** the running buffers' update weight for this run instead of the node's momentum (1/(k+1) for batch k: an exact average) */
  statsMomentum?: number;
}

/** a convolution in NHWC, filters in tfjs layout [kh, kw, C, O] (depthwise [kh, kw, C, 1]) */
export interface ConvSpec {
  kernel: [number, number];
  strides: [number, number];
  /** symmetric pads [top/bottom, left/right] (asymmetric pads are applied to x before) */
  pads: [number, number];
  depthwise: boolean;
}

/**
 * Differentiable kernels with gradients of their own, passed by training (packages/train custom-grads.ts): the ops
 * that read parameters use them instead of tfjs' fused inference kernels, whose gradients the wasm backend lacks or
 * runs slowly. Absent for inference.
 */
export interface Gradients {
  conv2d(s: ConvSpec): (x: Tensor4D, f: Tensor4D, b?: Tensor) => Tensor4D;
  /** a @ b over the last two axes (equal batch axes) */
  matMul(a: Tensor, b: Tensor): Tensor;
  /** training-mode BatchNorm over every axis but the last; `update` receives the batch mean and biased variance */
  batchNorm?(eps: number, update: (mean: Tensor, variance: Tensor) => void): (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor;
}

export interface NodeCtx {
  tf: TF;
  node: Node;
  /** false when the caller asked for no graph optimisation: no op absorbs another */
  fuse: boolean;
  /** training's differentiable kernels; undefined for inference */
  grads?: Gradients;
  /** logical (ONNX) shape of input i, or of a value by name */
  shape(i: number | string): Shape;
  /** logical shape of output i; after absorb(), of the absorbed node's output */
  out(i?: number): Shape;
  has(i: number): boolean;
  /** values of a constant int64 input (shapes, axes, sizes) */
  ints(i: number): number[] | undefined;
  /** values of a constant float input or value */
  data(i: number | string): Float32Array | undefined;
  /** the Variable bound to input i or to a value (training's params and buffers) */
  variable(i: number | string): Variable | undefined;
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
  /** operands read in the ONNX layout whatever the mode (weights, per-channel vectors) */
  plain?: number[];
  run(xs: Tensor[], rc: RunCtx): Tensor | Tensor[];
}

/** 'either': runs in the layout its inputs already have (NHWC when one of them is) */
export type Policy = Layout | 'either';

export interface OpImpl {
  layout: Policy | ((c: NodeCtx) => Policy);
  /** a kernel, or `{ alias: i }` when output 0 is input i unchanged */
  compile(c: NodeCtx, mode: Layout): Kernel | { alias: number };
}

export const kernel = (mode: Layout, operands: number[], run: Kernel['run'], plain?: number[]): Kernel => ({ mode, operands, run, plain });

export const int = (a: Attrs, k: string, d: number): number => (a[k] as number | undefined) ?? d;
export const float = (a: Attrs, k: string, d: number): number => (a[k] as number | undefined) ?? d;
export const ints = (a: Attrs, k: string, d: readonly number[]): number[] => [...((a[k] as number[] | undefined) ?? d)];
export const str = (a: Attrs, k: string, d: string): string => (a[k] as string | undefined) ?? d;

/** the single value of a constant, when it holds exactly one */
export const scalar = (x: Float32Array | undefined): number | undefined => (x?.length === 1 ? x[0] : undefined);

/** from, from + 1, ..., to - 1 */
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
