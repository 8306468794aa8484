/**
 * einops-style layout patterns compiled to Reshape -> Transpose -> Reshape (each step only when needed):
 *   rearrange(b, x, 'b d (nh ph) (nw pw) -> (b ph pw) (nh nw) d', { ph: 2, pw: 2 })
 * Every axis name appears once per side; a group `(a b)` is a merged axis; one unknown size per group is solved.
 */
import { MvbenchError } from '@mvbench/core';
import { shapeString } from '@mvbench/ir';
import type { GraphBuilder, Value } from './builder.ts';

type Groups = string[][];

function parseSide(side: string): Groups {
  const groups: Groups = [];
  const re = /\(([^()]*)\)|([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of side.matchAll(re)) groups.push(m[1] !== undefined ? m[1].trim().split(/\s+/).filter(Boolean) : [m[2]]);
  return groups;
}

export interface CompiledPattern {
  expanded: number[] | undefined;
  perm: number[] | undefined;
  output: number[] | undefined;
  outShape: number[];
}

/** resolves a pattern against an input shape; pure, so it is testable without a builder */
export function compilePattern(pattern: string, shape: readonly number[], sizes: Record<string, number> = {}): CompiledPattern {
  const fail = (why: string): never => {
    throw new MvbenchError('SHAPE_MISMATCH', `rearrange '${pattern}' on input ${shapeString(shape)}: ${why}`);
  };
  const [lhs, rhs] = pattern.split('->').map((s) => s.trim());
  if (!lhs || !rhs) fail("expected 'left -> right'");
  const left = parseSide(lhs), right = parseSide(rhs);
  if (left.length !== shape.length) fail(`the left side has ${left.length} axes, the input ${shape.length}`);
  const size = new Map<string, number>();
  left.forEach((group, i) => {
    const unknown = group.filter((a) => sizes[a] === undefined);
    const known = group.filter((a) => sizes[a] !== undefined).reduce((p, a) => p * sizes[a], 1);
    if (unknown.length > 1) fail(`axis group (${group.join(' ')}) has more than one unknown size`);
    if (unknown.length === 0 && known !== shape[i]) fail(`(${group.join(' ')}) = ${known} but the input has ${shape[i]}`);
    if (unknown.length === 1 && shape[i] % known !== 0) fail(`${shape[i]} is not divisible by ${known} for (${group.join(' ')})`);
    for (const a of group) size.set(a, sizes[a] ?? shape[i] / known);
  });
  const leftAxes = left.flat(), rightAxes = right.flat();
  if (new Set(leftAxes).size !== leftAxes.length || rightAxes.length !== leftAxes.length || rightAxes.some((a) => !size.has(a)))
    fail('both sides must name the same axes, each once');
  const expandedShape = leftAxes.map((a) => size.get(a)!);
  const perm = rightAxes.map((a) => leftAxes.indexOf(a));
  const outShape = right.map((g) => g.reduce((p, a) => p * size.get(a)!, 1));
  const permuted = perm.map((p) => expandedShape[p]);
  return {
    expanded: left.some((g) => g.length !== 1) ? expandedShape : undefined,
    perm: perm.some((p, i) => p !== i) ? perm : undefined,
    output: right.some((g) => g.length !== 1) || permuted.length !== outShape.length ? outShape : undefined,
    outShape,
  };
}

export function rearrange(b: GraphBuilder, x: Value, pattern: string, sizes: Record<string, number> = {}): Value {
  const c = compilePattern(pattern, x.shape, sizes);
  let y = x;
  if (c.expanded) y = b.op.Reshape([y, b.ints(c.expanded)]);
  if (c.perm) y = b.op.Transpose([y], { perm: c.perm });
  if (c.output) y = b.op.Reshape([y, b.ints(c.output)]);
  return y;
}
