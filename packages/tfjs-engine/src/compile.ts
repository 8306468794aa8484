/**
 * IR graph -> a straight-line program of tfjs calls, compiled once; the one compile loop of the tfjs runners and of
 * training. Per node, in graph order:
 *
 *   values   float initializers are constants, except those the caller binds to Variables (training's params and
 *            buffers, read at run time); int64 constants stay numbers (shapes, axes, sizes)
 *   fold     a node whose inputs are all constants runs now, once, and becomes a constant
 *   layout   Conv and Resize want NHWC; Reshape, Flatten, MatMul, Gemm and LayerNormalization want the ONNX layout;
 *            every other op runs in the layout its inputs already have. A value is converted to another layout at
 *            most once, constants while compiling (layout.ts)
 *   fuse     an op may absorb the sole consumer of its output (linear.ts, norm.ts)
 *   free     in eval mode each intermediate is disposed by the step that reads it last, every step in its own
 *            tf.tidy; in training mode the steps run inside the caller's gradient scope and nothing is freed
 *
 * NHWC end to end rather than a transpose pair around each Conv: tfjs convolutions are NHWC-only and most nodes of
 * these models are convolutions joined by elementwise ops, so activations stay NHWC from the first Conv to the
 * classifier and a transpose happens only where the graph reads the memory order (the unfold Reshape in front of
 * attention, token MatMuls); constants are laid out once at compile time. Measured on tfjs:wasm, 1 thread, against
 * transposes around every Conv: mobilevit_xxs 7 transposes instead of 66 and 1.3x faster, mobilevitv2_050 16
 * instead of 115 and 1.55x, swiftformer_xs and mobilenetv2_050 1.05x.
 */
import { userError } from '@mvbench/core';
import { materialize, type Graph, type Node, type Shape } from '@mvbench/ir';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Gradients, Kernel, NodeCtx, RunCtx, TF } from './kernel.ts';
import { convert, keepsOrder, physical, TO_NCHW, TO_NHWC, type Layout } from './layout.ts';
import { OP_TABLE } from './ops.ts';

interface Value {
  shape: Shape;
  home: Layout;
  slots: Partial<Record<Layout, number>>;
  data?: Float32Array;
  ints?: number[];
  variable?: Variable;
}

interface Step {
  run: Kernel['run'];
  ins: number[];
  outs: number[];
  free: number[];
}

interface Io {
  name: string;
  shape: number[];
  slot: number;
}

export interface CompileOptions {
  /** where errors say they happened: runner and model */
  where: string;
  /** false: no op absorbs another (the unoptimised graph as written) */
  fuse: boolean;
  /** seed of initializers that are not data (default: the graph's) */
  seed?: number;
  /** initializers read at run time from these Variables, by initializer name (training's params and buffers) */
  variables?: ReadonlyMap<string, Variable>;
  /** training's differentiable kernels */
  grads?: Gradients;
  /** values returned after the graph outputs, in the ONNX layout */
  capture?: readonly string[];
}

export interface Program {
  inputs: Io[];
  /** the graph outputs, then the captured values */
  outputs: Io[];
  steps: Step[];
  /** constant tensors and bound Variables, by slot */
  consts: (Tensor | undefined)[];
  /** every tensor the program owns (constants and what kernels captured), released by `release` */
  owned: Tensor[];
  /** steps run, nodes absorbed by fusion, layout conversions (of which real transposes), nodes folded */
  stats: { steps: number; absorbed: number; conversions: number; transposes: number; folded: number };
}

export function compile(tf: TF, graph: Graph, opts: CompileOptions): Program {
  const { where, fuse } = opts;
  const values = new Map<string, Value>();
  const consts: (Tensor | undefined)[] = [];
  const owned: Tensor[] = [];
  const steps: Step[] = [];
  const stats = { steps: 0, absorbed: 0, conversions: 0, transposes: 0, folded: 0 };
  let slots = 0;
  const consumers = new Map<string, Node[]>();
  for (const n of graph.nodes) for (const v of new Set(n.inputs)) if (v) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const absorbed = new Set<Node>();
  const shapeOf = (name: string): Shape => graph.values.get(name)!.shape;
  const keep = <T extends Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  const step = (run: Kernel['run'], ins: number[], outs: number[]): Step => ({ run, ins, outs, free: [] });

  for (const init of graph.initializers.values()) {
    const v: Value = { shape: init.dims, home: 'plain', slots: {} };
    v.variable = opts.variables?.get(init.name);
    if (v.variable) consts[(v.slots.plain = slots++)] = v.variable;
    else {
      const data = materialize(init, opts.seed ?? graph.seed);
      if (data instanceof Float32Array) v.data = data;
      else v.ints = Array.from(data, Number);
    }
    values.set(init.name, v);
  }
  const inputs = graph.inputs.map((v) => {
    const slot = slots++;
    values.set(v.name, { shape: v.shape, home: 'plain', slots: { plain: slot } });
    return { name: v.name, shape: [...v.shape], slot };
  });

  /** the slot holding value `name` in `layout`, converting once if needed */
  function want(name: string, layout: Layout, node?: Node): number {
    const v = values.get(name)!;
    const have = v.slots[layout];
    if (have !== undefined) return have;
    if (v.ints)
      throw userError('UNSUPPORTED_OP', `${where}: ${node?.op} node '${node?.name}' reads int64 tensor '${name}' as data; ` +
        'tfjs runs float32 graphs (int64 only as constant shapes, axes and sizes)');
    const slot = slots++;
    v.slots[layout] = slot;
    if (v.data) {
      const data = v.data;
      consts[slot] = keep(tf.tidy(() => convert(tf, tf.tensor(data, [...v.shape]), v.shape, 'plain', layout)));
    } else {
      const { home, shape } = v;
      steps.push(step(([x]) => convert(tf, x, shape, home, layout), [v.slots[home]!], [slot]));
      stats.conversions++;
      if (!keepsOrder(physical(shape, home), home === 'nhwc' ? TO_NCHW : TO_NHWC)) stats.transposes++;
    }
    return slot;
  }

  function ctxFor(node: Node, fuseNode: boolean): NodeCtx & { outNames: string[] } {
    const outNames = [...node.outputs];
    const nameOf = (i: number | string) => (typeof i === 'number' ? node.inputs[i] : i);
    return {
      tf,
      node,
      fuse: fuseNode,
      grads: opts.grads,
      outNames,
      shape: (i) => shapeOf(nameOf(i)),
      out: (i = 0) => shapeOf(outNames[i]),
      has: (i) => Boolean(node.inputs[i]),
      ints: (i) => (node.inputs[i] ? values.get(node.inputs[i])?.ints : undefined),
      data: (i) => (nameOf(i) ? values.get(nameOf(i))?.data : undefined),
      variable: (i) => (nameOf(i) ? values.get(nameOf(i))?.variable : undefined),
      hold: keep,
      output: () => outNames[0],
      consumer(v = outNames[0]) {
        const cs = consumers.get(v);
        return cs?.length === 1 && !graphOutputs.has(v) ? cs[0] : undefined;
      },
      absorb(n) {
        absorbed.add(n);
        outNames[0] = n.outputs[0];
        stats.absorbed++;
      },
      fail(what): never {
        throw userError('UNSUPPORTED_OP', `${where}: ${node.op} node '${node.name}': ${what}`);
      },
    };
  }

  const isConst = (name: string) => Boolean(values.get(name)?.data ?? values.get(name)?.ints);
  /** NHWC when a computed input already is, or when a Conv reads the output; every input and output fits rank 4 */
  const follow = (node: Node): Layout => {
    const ins = node.inputs.filter((v) => v && !values.get(v)!.ints);
    const nhwc = ins.some((v) => !isConst(v) && values.get(v)!.home === 'nhwc');
    const toConv = node.outputs.some((o) => consumers.get(o)?.some((n) => n.op === 'Conv'));
    const fits = [...ins, ...node.outputs.filter(Boolean)].every((v) => shapeOf(v).length <= 4);
    return fits && (nhwc || toConv) ? 'nhwc' : 'plain';
  };
  const alias = (node: Node, input: number) =>
    values.set(node.outputs[0], { ...values.get(node.inputs[input])!, shape: shapeOf(node.outputs[0]) });

  /** runs a node on constant inputs now; its outputs become constants */
  function fold(node: Node): void {
    const c = ctxFor(node, false);
    const k = OP_TABLE[node.op].compile(c, 'plain');
    if ('alias' in k) return void alias(node, k.alias);
    const ys = tf.tidy(() => {
      const xs = k.operands.map((i) => {
        const v = values.get(node.inputs[i])!;
        if (!v.data) want(node.inputs[i], 'plain', node); // throws for int64 data
        return tf.tensor(v.data!, [...v.shape]);
      });
      const y = k.run(xs, { training: false });
      return Array.isArray(y) ? y : [y];
    });
    node.outputs.forEach((name, j) => {
      values.set(name, { shape: shapeOf(name), home: 'plain', slots: {}, data: ys[j].dataSync() as Float32Array });
      ys[j].dispose();
    });
    stats.folded++;
  }

  for (const node of graph.nodes) {
    if (absorbed.has(node)) continue;
    if (node.inputs.every((v) => !v || isConst(v))) {
      fold(node);
      continue;
    }
    const impl = OP_TABLE[node.op];
    const c = ctxFor(node, fuse);
    const policy = typeof impl.layout === 'function' ? impl.layout(c) : impl.layout;
    const k = impl.compile(c, policy === 'either' ? follow(node) : policy);
    if ('alias' in k) {
      alias(node, k.alias);
      continue;
    }
    const ins = k.operands.map((i) => want(node.inputs[i], k.plain?.includes(i) ? 'plain' : k.mode, node));
    const outs = c.outNames.map((name) => {
      const slot = slots++;
      if (name) values.set(name, { shape: shapeOf(name), home: k.mode, slots: { [k.mode]: slot } });
      return slot;
    });
    steps.push(step(k.run, ins, outs));
  }

  const wanted = [...graph.outputs, ...(opts.capture ?? []).map((name) => ({ name, shape: shapeOf(name) }))];
  const outputs = wanted.map((o) => ({ name: o.name, shape: [...o.shape], slot: want(o.name, 'plain') }));
  const last = new Map<number, number>();
  steps.forEach((s, i) => [...s.outs, ...s.ins].forEach((slot) => last.set(slot, i)));
  const produced = new Set(steps.flatMap((s) => s.outs));
  const kept = new Set(outputs.map((o) => o.slot));
  for (const [slot, i] of last) if (produced.has(slot) && !kept.has(slot)) steps[i].free.push(slot);
  stats.steps = steps.length;
  return { inputs, outputs, steps, consts, owned, stats };
}

/**
 * One forward pass on `inputs` (in the ONNX layout; the caller's, never disposed here): the outputs, then the
 * captured values, in the ONNX layout. In eval mode every step runs in its own tf.tidy and intermediates are freed
 * after their last reader; in training mode the steps run in the caller's scope (tf.variableGrads).
 */
export function run(tf: TF, p: Program, inputs: Tensor[], rc: RunCtx): Tensor[] {
  const env = p.consts.slice();
  p.inputs.forEach((io, i) => (env[io.slot] = inputs[i]));
  for (const s of p.steps) {
    const xs = s.ins.map((i) => env[i]!);
    const y = rc.training ? s.run(xs, rc) : tf.tidy(() => s.run(xs, rc));
    const ys = Array.isArray(y) ? y : [y];
    for (let k = 0; k < s.outs.length; k++) env[s.outs[k]] = ys[k];
    if (!rc.training) for (const f of s.free) env[f]!.dispose();
  }
  return p.outputs.map((o) => (p.consts[o.slot] ? tf.clone(p.consts[o.slot]!) : env[o.slot]!));
}

export function release(p: Program): void {
  for (const t of p.owned) t.dispose();
  p.owned.length = 0;
}
