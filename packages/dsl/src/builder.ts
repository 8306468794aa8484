/**
 * GraphBuilder: records ONNX-named ops into an IR graph while inferring shapes eagerly, so composites can read
 * shapes and a shape error names the scope it happened in. Names come from nested scopes
 * (`b.scope('stages.2', ...)`), so parameter names equal the reference checkpoints' state_dict names.
 */
import { MvbenchError } from '@mvbench/core';
import { inferNode, type Attrs, type DType, type Graph, type Initializer, type InitSpec, type Node, type OpName, type Shape, type ValueInfo } from '@mvbench/ir';

export interface Value {
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
}

type Input = Value | undefined;
type OpFn = (inputs: readonly Input[], attrs?: Attrs) => Value;

export class GraphBuilder {
  private readonly scopes: string[] = [];
  private readonly nodes: Node[] = [];
  private readonly initializers = new Map<string, Initializer>();
  private readonly values = new Map<string, ValueInfo>();
  private readonly nodeNames = new Map<string, number>();
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  /** output shape of each stage marked with `stage()`, for `mvbench info` */
  readonly stages: { name: string; shape: number[] }[] = [];

  constructor(
    readonly name: string,
    readonly seed = 0,
  ) {}

  /** `b.op.Conv([x, w, bias], { kernel_shape: [3, 3] })`: one node with one output */
  readonly op: Record<OpName, OpFn> = new Proxy({} as Record<OpName, OpFn>, {
    get: (_t, op: string) => (inputs: readonly Input[], attrs: Attrs = {}) => this.node(op as OpName, inputs, attrs, 1)[0],
  });

  /** a node with several outputs (Split) */
  node(op: OpName, inputs: readonly Input[], attrs: Attrs, outputs: number): Value[] {
    const base = this.path(op, '/');
    const count = this.nodeNames.get(base) ?? 0;
    this.nodeNames.set(base, count + 1);
    const name = count ? `${base}_${count}` : base;
    const node: Node = {
      op,
      name,
      inputs: inputs.map((v) => v?.name ?? ''),
      outputs: Array.from({ length: outputs }, (_, i) => (outputs === 1 ? name : `${name}:${i}`)),
      attrs,
    };
    const infos = inferNode({ initializers: this.initializers }, this.values, node);
    this.nodes.push(node);
    for (const info of infos) this.values.set(info.name, info);
    return infos;
  }

  scope<T>(name: string | number, fn: () => T): T {
    this.scopes.push(String(name));
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** marks a top-level stage for reporting; does not change any name */
  stage(name: string, fn: () => Value): Value {
    const v = fn();
    this.stages.push({ name, shape: [...v.shape] });
    return v;
  }

  /** the current scope joined with `leaf`, e.g. `stages.2.1.conv_kxk.bn.weight` */
  path(leaf: string, sep = '.'): string {
    const prefix = this.scopes.join('.');
    return prefix ? `${prefix}${sep}${leaf}` : leaf;
  }

  input(name: string, shape: Shape): Value {
    const info: ValueInfo = { name, dtype: 'float32', shape };
    this.values.set(name, info);
    this.inputs.push(info);
    return info;
  }

  /** renames the output of the node that produced `value` (the last node, by construction) to `name` */
  output(value: Value, name: string): void {
    const node = this.nodes.find((n) => n.outputs.includes(value.name));
    if (!node || this.nodes.some((n) => n.inputs.includes(value.name)))
      throw new MvbenchError('INVALID_GRAPH', `graph output '${value.name}' must be produced by a node and not consumed`, false);
    (node as { outputs: readonly string[] }).outputs = node.outputs.map((o) => (o === value.name ? name : o));
    this.values.delete(value.name);
    const info = { ...value, name };
    this.values.set(name, info);
    this.outputs.push(info);
  }

  /** a checkpoint tensor (parameter or buffer) named after the current scope */
  param(
    leaf: string,
    dims: Shape,
    init: InitSpec,
    opts: { role?: 'param' | 'buffer'; checkpointTransposed?: boolean } = {},
  ): Value {
    const name = this.path(leaf);
    if (this.initializers.has(name)) throw new MvbenchError('INVALID_GRAPH', `parameter '${name}' is defined twice`, false);
    this.addInit({ name, dtype: 'float32', dims, role: opts.role ?? 'param', init, checkpointTransposed: opts.checkpointTransposed });
    return this.values.get(name)!;
  }

  /** a structural int64 constant (shape, axes, split sizes); identical constants are shared */
  ints(values: readonly number[]): Value {
    const name = `const.i64.${values.join('_').replace(/-/g, 'm')}`;
    if (!this.initializers.has(name))
      this.addInit({ name, dtype: 'int64', dims: [values.length], role: 'const', init: { kind: 'data', data: BigInt64Array.from(values.map(BigInt)) } });
    return this.values.get(name)!;
  }

  /** a float scalar or tensor constant (epsilons, Clip bounds, scales); identical constants are shared */
  floats(values: readonly number[], dims: Shape = []): Value {
    const data = Float32Array.from(values);
    const name = `const.f32.${Array.from(data).join('_').replace(/-/g, 'm')}${dims.length ? '.' + dims.join('x') : ''}`;
    if (!this.initializers.has(name)) this.addInit({ name, dtype: 'float32', dims, role: 'const', init: { kind: 'data', data } });
    return this.values.get(name)!;
  }

  private addInit(init: Initializer): void {
    this.initializers.set(init.name, init);
    this.values.set(init.name, { name: init.name, dtype: init.dtype, shape: init.dims });
  }

  finish(): Graph {
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      nodes: [...this.nodes],
      initializers: new Map(this.initializers),
      values: new Map(this.values),
      seed: this.seed,
    };
  }
}
