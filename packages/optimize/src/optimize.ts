/**
 * Inference-oriented emission: IR -> IR rewrites, each exact up to float32 rounding (logits within 1e-5 of the
 * largest logit, checked by the tests on the reference fixtures and on random-weight models of every family).
 *
 *   graph --(rewrites of the table but the late ones, node by node, until none applies)
 *         --(the whole table until none applies)--> dead-code removal --> shape inference
 *
 * The late rewrites include the lowerings, which pick the form a runtime runs fastest (transposes split into fast
 * steps, token tensors as matrices); they run last, so the folds see the layout ops as the model wrote them.
 *
 * Only ops of the IR op table are produced, so every runtime that runs the plain graph runs the optimised one.
 */
import { inferShapes, type Graph, type Node } from '@mvbench/ir';
import { weightedSumBeforeKeys } from './attention.ts';
import { RewriteContext } from './context.ts';
import { affineIntoFollowingConvs, affineIntoPrecedingConv, affineThroughLayout } from './fold.ts';
import { duplicate, layoutNoop, layoutOfConstant, reshapeChain } from './layout.ts';
import { constantIntoLinear, pointwiseConvs } from './linear.ts';
import { splitBeforeReshape, splitBeforeTranspose, splitLinear } from './split.ts';
import { tokensAsMatrix } from './tokens.ts';
import { transposeChain, transposeFast } from './transpose.ts';

export type Rewrite = (ctx: RewriteContext, node: Node) => boolean;

/** the rewrites in the order they are tried at each node; the README of the package says what each bought */
export const REWRITES: Readonly<Record<string, Rewrite>> = {
  duplicate,
  'layout-of-constant': layoutOfConstant,
  'layout-noop': layoutNoop,
  'reshape-chain': reshapeChain,
  'transpose-chain': transposeChain,
  'affine-into-preceding-conv': affineIntoPrecedingConv,
  'affine-into-following-convs': affineIntoFollowingConvs,
  'constant-into-linear': constantIntoLinear,
  'affine-through-layout': affineThroughLayout,
  'pointwise-convs': pointwiseConvs,
  'weighted-sum-before-keys': weightedSumBeforeKeys,
  'split-before-transpose': splitBeforeTranspose,
  'split-before-reshape': splitBeforeReshape,
  'split-linear': splitLinear,
  'transpose-fast': transposeFast,
  'tokens-as-matrix': tokensAsMatrix,
};

/**
 * Rewrites of the second phase: the lowerings, and restructurings that would stop folds if they came first (the
 * key projection moved behind the weighted sum reads the conv input, which the GroupNorm affine would then also feed).
 */
const LATE = new Set(['weighted-sum-before-keys', 'transpose-fast', 'tokens-as-matrix']);

export interface OptimizeOptions {
  /** names of rewrites to leave out (for measuring what each one buys) */
  skip?: readonly string[];
  /**
   * false: leave the tensors the rewrites create uncomputed (placeholders of the right shape). The structure, node
   * count and MACs are those of the real result, at none of the cost of the arithmetic; never emit such a graph.
   */
  values?: boolean;
}

const MAX_PASSES = 50;

/** the optimised copy of `graph`; the input graph and its tensors are not modified */
export function optimize(graph: Graph, opts: OptimizeOptions = {}): Graph {
  const unknown = (opts.skip ?? []).filter((s) => !(s in REWRITES));
  if (unknown.length) throw new Error(`optimize: unknown rewrite(s) ${unknown.join(', ')} (known: ${Object.keys(REWRITES).join(', ')})`);
  const table = Object.entries(REWRITES).filter(([name]) => !opts.skip?.includes(name));
  const ctx = new RewriteContext(graph);
  untilFixpoint(ctx, table.filter(([name]) => !LATE.has(name)).map(([, r]) => r));
  untilFixpoint(ctx, table.map(([, r]) => r));
  return inferShapes(deadCodeRemoved(ctx, opts.values !== false));
}

function untilFixpoint(ctx: RewriteContext, rewrites: Rewrite[]): void {
  for (let pass = 0, changed = true; changed; pass++) {
    if (pass === MAX_PASSES) throw new Error(`optimize: rewrites still change '${ctx.graph.name}' after ${MAX_PASSES} passes`);
    changed = false;
    for (const node of [...ctx.nodes]) {
      if (!ctx.nodes.includes(node)) continue;
      for (const rewrite of rewrites)
        if (rewrite(ctx, node)) {
          ctx.prune();
          changed = true;
          break;
        }
    }
  }
}

/** nodes whose outputs nobody reads and initializers no node reads are dropped */
function deadCodeRemoved(ctx: RewriteContext, values: boolean): Graph {
  const live = new Set(ctx.graph.outputs.map((o) => o.name));
  const nodes: Node[] = [];
  for (const n of [...ctx.nodes].reverse())
    if (n.outputs.some((o) => live.has(o))) {
      nodes.push(n);
      for (const i of n.inputs) live.add(i);
    }
  const initializers = new Map([...ctx.inits].filter(([name]) => live.has(name)).map(([name, init]) => [name, values ? ctx.finished(init) : init]));
  return { ...ctx.graph, nodes: nodes.reverse(), initializers, values: new Map() };
}
