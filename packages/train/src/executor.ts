/**
 * IR graph -> a trainable tfjs program, compiled once. Per node, in graph order:
 *
 *   values   param initializers become tf.Variables (trainable), buffers non-trainable Variables, constants tensors;
 *            int64 constants stay numbers (shapes, axes, sizes)
 *   fold     a node whose inputs are all constants runs now, once
 *   layout   Conv wants NHWC; Reshape, Flatten, MatMul, Gemm, LayerNormalization want the ONNX layout; the rest runs
 *            in the layout its inputs have (runner-tfjs layout.ts). A value is converted at most once per forward; constants
 *            while compiling. As in runner-tfjs' compile.ts, activations stay NHWC from the first Conv to the head
 *            and a transpose happens only where the graph reads memory order (token reshapes, MatMul)
 *   fuse     GroupNorm(1) written as Reshape -> InstanceNormalization -> Reshape runs as one kernel in either layout
 *
 * forward() runs the steps inside whatever gradient scope the caller opened (tf.variableGrads); in eval mode it
 * frees each intermediate after its last reader.
 */
import { materialize, userError, type Graph, type Node, type Shape } from '@mvbench/ir';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { convert, type Layout } from '@mvbench/runner-tfjs';
import { OP_TABLE } from './ops.ts';
import { useDevice, type Device, type TF } from './tf.ts';

export interface RunCtx {
  /** batch statistics in BatchNormalization, running buffers updated unless updateStats is false */
  training: boolean;
  updateStats?: boolean;
}

export interface Kernel {
  /** layout of the operands it reads and of its outputs */
  mode: Layout;
  /** node inputs read at run time, in this order */
  operands: number[];
  /** operands read in the ONNX layout whatever the mode (weights, per-channel vectors) */
  plain?: number[];
  run(xs: Tensor[], rc: RunCtx): Tensor | Tensor[];
}

/** 'either': the layout its inputs already have (NHWC when one of them is) */
export type Policy = Layout | 'either';

export interface OpImpl {
  layout: Policy | ((c: NodeCtx) => Policy);
  /** a kernel, or `{ alias: i }` when output 0 is input i unchanged */
  compile(c: NodeCtx, mode: Layout): Kernel | { alias: number };
}

export interface NodeCtx {
  tf: TF;
  node: Node;
  conv: 'fast' | 'native';
  /** logical (ONNX) shape of input i, or of a value by name */
  shape(i: number | string): Shape;
  /** logical shape of output i (after absorb(), of the absorbed node's output) */
  out(i?: number): Shape;
  has(i: number): boolean;
  /** values of a constant int64 input */
  ints(i: number): number[] | undefined;
  /** values of a constant float input or value */
  data(i: number | string): Float32Array | undefined;
  /** the Variable behind input i or a value, when it is a param or buffer */
  variable(i: number | string): Variable | undefined;
  hold<T extends Tensor>(t: T): T;
  output(): string;
  /** the only node reading a value (default output()), unless it is a graph output */
  consumer(value?: string): Node | undefined;
  /** n's work is done by this kernel, whose output 0 becomes n's output 0 */
  absorb(n: Node): void;
  fail(what: string): never;
}

export interface ExecutorOptions {
  device?: Device;
  /** seed of the parameter initialisation (default: the graph's) */
  seed?: number;
  /** 'native': tfjs' own conv ops and autodiff, the reference on the cpu backend */
  conv?: 'fast' | 'native';
  /** values returned by forward() beside the graph outputs, in the ONNX layout */
  capture?: readonly string[];
}

export interface Executor {
  readonly graph: Graph;
  readonly tf: TF;
  readonly device: Device;
  /** initializers with role 'param', in the ONNX shapes */
  readonly params: Map<string, Variable>;
  /** initializers with role 'buffer' (BatchNorm running statistics) */
  readonly buffers: Map<string, Variable>;
  /** makes the executor's backend the active one */
  activate(): Promise<void>;
  /** input NCHW [B, 3, R, R] -> the graph's first output, and the captured values */
  forward(input: Tensor, rc: RunCtx): { logits: Tensor; captured: Tensor[] };
  /** loss() and the gradient of every param (by initializer name), for the caller to dispose */
  gradients(loss: () => Scalar): { loss: Scalar; grads: Map<string, Tensor> };
  /** current params and buffers by initializer name */
  weights(): Map<string, Float32Array>;
  dispose(): void;
}

interface Value {
  shape: Shape;
  home: Layout;
  slots: Partial<Record<Layout, number>>;
  data?: Float32Array;
  ints?: number[];
  variable?: Variable;
}

interface Step {
  run(xs: Tensor[], rc: RunCtx): Tensor | Tensor[];
  ins: number[];
  outs: number[];
  free: number[];
}

export async function createExecutor(graph: Graph, opts: ExecutorOptions = {}): Promise<Executor> {
  const device = opts.device ?? 'wasm';
  const tf = await useDevice(device);
  const seed = opts.seed ?? graph.seed;
  const values = new Map<string, Value>();
  const consts: (Tensor | undefined)[] = [];
  const owned: Tensor[] = [];
  const bound: [number, Variable][] = [];
  const steps: Step[] = [];
  const params = new Map<string, Variable>(), buffers = new Map<string, Variable>();
  const names = new Map<string, string>();
  let slots = 0;
  const consumers = new Map<string, Node[]>();
  for (const n of graph.nodes) for (const v of new Set(n.inputs)) if (v) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const absorbed = new Set<Node>();
  const shapeOf = (name: string): Shape => graph.values.get(name)!.shape;
  const hold = <T extends Tensor>(t: T): T => (owned.push(tf.keep(t)), t);

  for (const init of graph.initializers.values()) {
    const data = materialize(init, seed);
    const v: Value = { shape: init.dims, home: 'plain', slots: {} };
    if (!(data instanceof Float32Array)) v.ints = Array.from(data, Number);
    else if (init.role === 'const') v.data = data;
    else {
      v.variable = tf.variable(tf.tensor(data, [...init.dims]), init.role === 'param'); // tfjs names must be unique per process
      names.set(v.variable.name, init.name);
      (init.role === 'param' ? params : buffers).set(init.name, v.variable);
      v.slots.plain = slots++;
      bound.push([v.slots.plain, v.variable]);
    }
    values.set(init.name, v);
  }
  const input = slots++;
  values.set(graph.inputs[0].name, { shape: graph.inputs[0].shape, home: 'plain', slots: { plain: input } });

  /** the slot holding value `name` in `layout`, converting once if needed */
  function want(name: string, layout: Layout, node?: Node): number {
    const v = values.get(name)!;
    const have = v.slots[layout];
    if (have !== undefined) return have;
    if (v.ints) throw userError('UNSUPPORTED_OP', `${graph.name}: ${node?.op} node '${node?.name}' reads int64 '${name}' as data`);
    const slot = (v.slots[layout] = slots++);
    if (v.data) consts[slot] = hold(tf.tidy(() => convert(tf, tf.tensor(v.data!, [...v.shape]), v.shape, 'plain', layout)));
    else steps.push({ run: ([x]) => convert(tf, x, v.shape, v.home, layout), ins: [v.slots[v.home]!], outs: [slot], free: [] });
    return slot;
  }

  function ctxFor(node: Node): NodeCtx & { outNames: string[] } {
    const outNames = [...node.outputs];
    const nameOf = (i: number | string) => (typeof i === 'number' ? node.inputs[i] : i);
    return {
      tf,
      node,
      conv: opts.conv ?? 'fast',
      outNames,
      shape: (i) => shapeOf(nameOf(i)),
      out: (i = 0) => shapeOf(outNames[i]),
      has: (i) => Boolean(node.inputs[i]),
      ints: (i) => (node.inputs[i] ? values.get(node.inputs[i])?.ints : undefined),
      data: (i) => (nameOf(i) ? values.get(nameOf(i))?.data : undefined),
      variable: (i) => (nameOf(i) ? values.get(nameOf(i))?.variable : undefined),
      hold,
      output: () => outNames[0],
      consumer(v = outNames[0]) {
        const cs = consumers.get(v);
        return cs?.length === 1 && !graphOutputs.has(v) ? cs[0] : undefined;
      },
      absorb(n) {
        absorbed.add(n);
        outNames[0] = n.outputs[0];
      },
      fail(what): never {
        throw userError('UNSUPPORTED_OP', `${graph.name}: ${node.op} node '${node.name}': ${what}`);
      },
    };
  }

  const isConst = (name: string) => Boolean(values.get(name)?.data ?? values.get(name)?.ints);
  const computed = (name: string) => !isConst(name) && !values.get(name)!.variable;
  /** NHWC when a computed input is, or when a Conv reads the output; every input and output fits rank 4 */
  function follow(node: Node): Layout {
    const ins = node.inputs.filter((v) => v && !values.get(v)!.ints);
    const nhwc = ins.some((v) => computed(v) && values.get(v)!.home === 'nhwc');
    const toConv = node.outputs.some((o) => consumers.get(o)?.some((n) => n.op === 'Conv'));
    const fits = [...ins, ...node.outputs.filter(Boolean)].every((v) => shapeOf(v).length <= 4);
    return fits && (nhwc || toConv) ? 'nhwc' : 'plain';
  }
  const alias = (node: Node, i: number) => values.set(node.outputs[0], { ...values.get(node.inputs[i])!, shape: shapeOf(node.outputs[0]) });

  function fold(node: Node): void {
    const k = OP_TABLE[node.op].compile(ctxFor(node), 'plain');
    if ('alias' in k) return void alias(node, k.alias);
    const ys = tf.tidy(() => {
      const y = k.run(k.operands.map((i) => consts[want(node.inputs[i], 'plain', node)]!), { training: false });
      return Array.isArray(y) ? y : [y];
    });
    node.outputs.forEach((name, j) => {
      values.set(name, { shape: shapeOf(name), home: 'plain', slots: {}, data: ys[j].dataSync() as Float32Array });
      ys[j].dispose();
    });
  }

  for (const node of graph.nodes) {
    if (absorbed.has(node)) continue;
    if (node.inputs.every((v) => !v || isConst(v))) {
      fold(node);
      continue;
    }
    const impl = OP_TABLE[node.op];
    const c = ctxFor(node);
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
    steps.push({ run: k.run, ins, outs, free: [] });
  }

  const outSlots = [graph.outputs[0].name, ...(opts.capture ?? [])].map((name) => want(name, 'plain'));
  const last = new Map<number, number>();
  steps.forEach((s, i) => [...s.outs, ...s.ins].forEach((slot) => last.set(slot, i)));
  const produced = new Set(steps.flatMap((s) => s.outs));
  for (const [slot, i] of last) if (produced.has(slot) && !outSlots.includes(slot)) steps[i].free.push(slot);

  return {
    graph,
    tf,
    device,
    params,
    buffers,
    activate: async () => void (await useDevice(device)),
    forward(x, rc) {
      const env = consts.slice();
      env[input] = x;
      for (const [slot, v] of bound) env[slot] = v;
      for (const s of steps) {
        const y = s.run(s.ins.map((i) => env[i]!), rc);
        const ys = Array.isArray(y) ? y : [y];
        s.outs.forEach((slot, k) => (env[slot] = ys[k]));
        if (!rc.training) for (const f of s.free) env[f]!.dispose();
      }
      const [logits, ...captured] = outSlots.map((slot) => env[slot]!);
      return { logits, captured };
    },
    gradients(loss) {
      const { value, grads } = tf.variableGrads(loss, [...params.values()]);
      return { loss: value, grads: new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g])) };
    },
    weights: () => new Map([...params, ...buffers].map(([name, v]) => [name, v.dataSync() as Float32Array])),
    dispose() {
      for (const t of owned) t.dispose();
      for (const v of [...params.values(), ...buffers.values()]) v.dispose();
    },
  };
}
