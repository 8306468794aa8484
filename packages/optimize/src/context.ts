/**
 * The working copy a rewrite edits: the node list (kept in topological order), initializers, and producer/consumer
 * indexes rebuilt lazily after each edit. Initializer objects of the input graph are never mutated: a changed tensor
 * is a new Initializer, so `optimize` stays a pure function.
 *
 * Rewrites decide from shapes and from which inputs are constant, never from values; the values of the tensors they
 * create are thunks (`Values`), computed when the graph is finished and only for tensors still in use. So counting
 * the nodes of an optimised graph costs no arithmetic over the weights.
 */
import { materialize, numel, type Graph, type Initializer, type Node, type Shape, type ValueInfo } from '@mvbench/ir';

/** a tensor's values, computed on first call */
export type Values = () => Float32Array;

const memo = (f: Values): Values => {
  let data: Float32Array | undefined;
  return () => (data ??= f());
};

export class RewriteContext {
  nodes: Node[];
  readonly inits: Map<string, Initializer>;
  readonly values: Map<string, ValueInfo>;
  private readonly graphOutputs: Set<string>;
  private index?: { producer: Map<string, Node>; consumers: Map<string, Node[]> };
  private readonly lazy = new WeakMap<Initializer, Values>();
  /** initializers made by rewrites, whose values are thunks until `finished` */
  private readonly pending = new WeakSet<Initializer>();

  constructor(readonly graph: Graph) {
    this.nodes = [...graph.nodes];
    this.inits = new Map(graph.initializers);
    this.values = new Map(graph.values);
    this.graphOutputs = new Set(graph.outputs.map((o) => o.name));
  }

  private get idx() {
    if (!this.index) {
      const producer = new Map<string, Node>(), consumers = new Map<string, Node[]>();
      for (const n of this.nodes) {
        for (const o of n.outputs) producer.set(o, n);
        for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
      }
      this.index = { producer, consumers };
    }
    return this.index;
  }

  producer = (value: string): Node | undefined => this.idx.producer.get(value);
  consumers = (value: string): Node[] => this.idx.consumers.get(value) ?? [];
  /** the value feeds exactly one node and is not a graph output: the producer may be changed freely */
  soleUse = (value: string): Node | undefined =>
    this.consumers(value).length === 1 && !this.graphOutputs.has(value) ? this.consumers(value)[0] : undefined;
  isGraphOutput = (value: string): boolean => this.graphOutputs.has(value);

  shape(value: string): Shape {
    const init = this.inits.get(value);
    if (init) return init.dims;
    const v = this.values.get(value);
    if (!v) throw new Error(`optimize: no shape for value '${value}' (a rewrite must keep the shapes of the values it creates)`);
    return v.shape;
  }

  /** a float32 constant (an initializer) */
  isConst = (value: string): boolean => this.inits.get(value)?.dtype === 'float32';

  /** the values of a float32 constant as it is now (later replacements of the name do not change what it returns) */
  source(value: string): Values {
    const init = this.inits.get(value);
    if (!init || init.dtype !== 'float32') throw new Error(`optimize: '${value}' is not a float32 constant`);
    const lazy = this.lazy.get(init);
    if (lazy) return lazy;
    const values = memo(() => (init.init.kind === 'data' ? (init.init.data as Float32Array) : (materialize(init, this.graph.seed) as Float32Array)));
    this.lazy.set(init, values);
    return values;
  }

  ints(value: string): number[] | undefined {
    const init = this.inits.get(value);
    if (!init || init.dtype !== 'int64' || init.init.kind !== 'data') return undefined;
    return Array.from(init.init.data as BigInt64Array, Number);
  }

  /** adds a float32 constant named `base` (or `base~1`, ... when that name is taken) and returns its name */
  addFloats(base: string, dims: Shape, values: Values, role: Initializer['role'] = 'param'): string {
    let name = base;
    for (let i = 1; this.inits.has(name) || this.idx.producer.has(name); i++) name = `${base}~${i}`;
    this.define(name, dims, values, role);
    return name;
  }

  /** new values for a tensor `owner` reads: in place when no other node reads it, else as a new constant */
  setFloats(name: string, owner: Node, dims: Shape, values: Values): string {
    const old = this.inits.get(name);
    if (!old || this.consumers(name).some((n) => n !== owner) || old.dtype !== 'float32') return this.addFloats(name, dims, values);
    this.define(name, dims, values, old.role);
    return name;
  }

  private define(name: string, dims: Shape, values: Values, role: Initializer['role']): void {
    const checked = memo(() => {
      const data = values();
      if (data.length !== numel(dims)) throw new Error(`optimize: ${data.length} values for shape [${dims}] of '${name}'`);
      return data;
    });
    // a placeholder spec until `finish` computes the values
    const init: Initializer = { name, dtype: 'float32', dims, role, init: { kind: 'fill', value: 0 } };
    this.lazy.set(init, checked);
    this.pending.add(init);
    this.inits.set(name, init);
  }

  /** the initializer with its values computed, when they are pending */
  finished(init: Initializer): Initializer {
    return this.pending.has(init) ? { ...init, init: { kind: 'data', data: this.lazy.get(init)!() } } : init;
  }

  addInts(values: readonly number[]): string {
    const name = `const.i64.${values.join('_').replace(/-/g, 'm')}`;
    if (!this.inits.has(name))
      this.inits.set(name, { name, dtype: 'int64', dims: [values.length], role: 'const', init: { kind: 'data', data: BigInt64Array.from(values.map(BigInt)) } });
    return name;
  }

  /** replaces `old` by `nodes` at its position; value shapes of new outputs must be given via `shapes` */
  replace(old: Node, nodes: Node[], shapes: Record<string, Shape> = {}): void {
    const at = this.nodes.indexOf(old);
    if (at < 0) throw new Error(`optimize: node '${old.name}' is not in the graph`);
    this.nodes.splice(at, 1, ...nodes);
    for (const [name, shape] of Object.entries(shapes)) this.values.set(name, { name, dtype: 'float32', shape });
    this.index = undefined;
  }

  remove(node: Node): void {
    this.replace(node, []);
  }

  /** every reader of `from` reads `to` instead (graph outputs keep their names: then `from`'s producer is kept) */
  rewire(from: string, to: string): void {
    this.nodes = this.nodes.map((n) => (n.inputs.includes(from) ? { ...n, inputs: n.inputs.map((i) => (i === from ? to : i)) } : n));
    this.index = undefined;
  }

  /** drops nodes whose outputs nobody reads (what a rewrite left behind), so `soleUse` sees only live readers */
  prune(): void {
    for (let changed = true; changed; ) {
      const dead = this.nodes.filter((n) => n.outputs.every((o) => !this.graphOutputs.has(o) && this.consumers(o).length === 0));
      changed = dead.length > 0;
      if (changed) {
        this.nodes = this.nodes.filter((n) => !dead.includes(n));
        this.index = undefined;
      }
    }
  }

  /** a node name not yet used, derived from `base` */
  freshName(base: string): string {
    const taken = new Set(this.nodes.map((n) => n.name));
    let name = base;
    for (let i = 1; taken.has(name) || this.idx.producer.has(name) || this.inits.has(name); i++) name = `${base}_${i}`;
    return name;
  }
}
