/**
 * Opset bookkeeping: which IR version a model of a given opset declares, and where an op's form in the IR
 * op table (inputs vs attributes) is only valid for some opsets.
 */
import type { Attrs } from '@mvbench/ir';

export const MIN_OPSET = 13;
export const MAX_OPSET = 23;

/** the IR version ONNX released together with each opset (docs/Versioning.md) */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

const axesAttribute = (op: string) => (opset: number, attrs: Attrs) =>
  opset >= 18 && 'axes' in attrs
    ? `from opset 18 ${op} takes axes as an input, but the IR op table has the opset <= 17 'axes' attribute`
    : undefined;

const RULES: Record<string, (opset: number, attrs: Attrs) => string | undefined> = {
  LayerNormalization: (opset) => (opset < 17 ? 'LayerNormalization exists from opset 17 on' : undefined),
  ReduceMean: axesAttribute('ReduceMean'),
  ReduceL2: axesAttribute('ReduceL2'),
  Split: (opset, attrs) =>
    opset < 18 && 'num_outputs' in attrs ? "Split's 'num_outputs' attribute exists from opset 18 on" : undefined,
};

/** why a node of `op` with `attrs` is not valid at `opset`, or undefined when it is */
export const opsetProblem = (op: string, attrs: Attrs, opset: number): string | undefined => RULES[op]?.(opset, attrs);
