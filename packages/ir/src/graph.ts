/**
 * The in-memory graph: ONNX-shaped (op names, inputs by value name, constants as initializers) but free of
 * protobuf. Shapes are static: every value has a fully known shape once the builder or `inferShapes` ran.
 */
import type { OpName } from './ops.ts';

export type DType = 'float32' | 'int64';
export type Shape = readonly number[];
export type TensorData = Float32Array | BigInt64Array;

/** How an initializer's values are produced when nobody loads them from a checkpoint. */
export type InitSpec =
  | { kind: 'data'; data: TensorData }
  | { kind: 'fill'; value: number }
  /** truncated normal (±2 std), seeded from the graph seed and the initializer name */
  | { kind: 'trunc_normal'; std: number }
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'uniform'; low: number; high: number };

/**
 * `param`: a trainable parameter (counted in `params`); `buffer`: checkpoint state that is not a parameter
 * (BatchNorm running statistics); `const`: structural constants the graph needs (shapes, axes, epsilons).
 */
export type InitializerRole = 'param' | 'buffer' | 'const';

export interface Initializer {
  name: string;
  dtype: DType;
  dims: Shape;
  role: InitializerRole;
  init: InitSpec;
  /**
   * The checkpoint stores this tensor as the 2-D transpose of `dims` (PyTorch Linear weights are [out, in];
   * the graph keeps [in, out] so MatMul needs no runtime Transpose).
   */
  checkpointTransposed?: boolean;
}

export type AttrValue = number | readonly number[] | string;
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface Node {
  op: OpName;
  /** unique, derived from the builder scope, e.g. `stages.2.1.transformer.0.attn/MatMul_1` */
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs: Attrs;
}

export interface ValueInfo {
  name: string;
  dtype: DType;
  shape: Shape;
}

export interface Graph {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: Node[];
  initializers: Map<string, Initializer>;
  /** shape of every value (inputs, node outputs, initializers) */
  values: Map<string, ValueInfo>;
  /** seed for the deterministic initialisation of initializers without data */
  seed: number;
}

export const numel = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

export const shapeString = (shape: Shape): string => `[${shape.join(', ')}]`;
