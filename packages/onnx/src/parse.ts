/**
 * ONNX bytes -> Graph. Initializers and tensor-valued Constant nodes become `data` initializers; every other
 * node must be an op of the IR op table with the attributes and attribute types the table declares.
 */
import { userError } from '@mvbench/core';
import { OPS, OP_NAMES, inferShapes, isOpName, type AttrType, type AttrValue, type Attrs, type Graph, type Initializer, type Node, type ValueInfo } from '@mvbench/ir';
import { byCountThenName, decodeModel, defaultOpset, int64, opKey } from './decode.ts';
import {
  AttributeProto_AttributeType as A,
  TensorProto_DataType,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './gen/onnx_pb.ts';
import { opsetProblem } from './opset.ts';
import { dtypeName, irDtype, tensorValues } from './tensor-data.ts';

export interface FromOnnxOptions {
  /** graph name; default: the ONNX graph's name */
  name?: string;
}

const PROTO_TYPE: Partial<Record<A, AttrType>> = {
  [A.INT]: 'int',
  [A.INTS]: 'ints',
  [A.FLOAT]: 'float',
  [A.FLOATS]: 'floats',
  [A.STRING]: 'string',
};

export function fromOnnx(bytes: Uint8Array, opts: FromOnnxOptions = {}): Graph {
  const model = decodeModel(bytes, 'the input');
  const g = model.graph;
  const name = opts.name ?? (g.name || 'model');
  const opset = defaultOpset(model)!;
  checkOps(g.node, opset, name);

  const initializers = new Map<string, Initializer>();
  const addInit = (t: TensorProto, tensorName: string, where: string, role?: Initializer['role']) => {
    const { dtype, dims, data } = tensorValues(t, where);
    initializers.set(tensorName, {
      name: tensorName,
      dtype,
      dims,
      role: role ?? (dtype === 'float32' ? 'param' : 'const'),
      init: { kind: 'data', data },
    });
  };
  for (const t of g.initializer) addInit(t, t.name, `initializer '${t.name}'`);

  const nodes: Node[] = [];
  const names = new Set<string>();
  g.node.forEach((n, i) => {
    if (n.opType === 'Constant') {
      addInit(constantTensor(n)!, n.output[0], `Constant node '${n.name}'`, 'const');
      return;
    }
    let nodeName = n.name || `${n.opType}_${i}`;
    for (let k = 1; names.has(nodeName); k++) nodeName = `${n.name || n.opType}_${k}`;
    names.add(nodeName);
    nodes.push({ op: n.opType as Node['op'], name: nodeName, inputs: n.input, outputs: n.output, attrs: attrs(n) });
  });

  const graph: Graph = {
    name,
    inputs: g.input.filter((v) => !initializers.has(v.name)).map((v) => valueInfo(v, 'input', true)),
    outputs: g.output.map((v) => valueInfo(v, 'output', false)),
    nodes,
    initializers,
    values: new Map(),
    seed: 0,
  };
  return inferShapes(graph);
}

/** throws one UNSUPPORTED_OP error listing every op (with counts) the IR op table cannot represent */
function checkOps(nodes: readonly NodeProto[], opset: number, model: string): void {
  const unknown = new Map<string, number>();
  for (const n of nodes) {
    const key = opKey(n.opType, n.domain);
    const ok = key === n.opType && (n.opType === 'Constant' ? constantTensor(n) !== undefined : isOpName(n.opType));
    if (!ok) {
      const label =
        n.opType === 'Constant' && key === n.opType ? `Constant(${n.attribute[0]?.name ?? 'no value'})` : key;
      unknown.set(label, (unknown.get(label) ?? 0) + 1);
    }
  }
  if (unknown.size) {
    const list = [...unknown].sort(byCountThenName);
    const count = list.reduce((a, [, c]) => a + c, 0);
    throw userError(
      'UNSUPPORTED_OP',
      `ONNX model '${model}' uses ${list.length} op(s) the IR op table does not have: ` +
        `${list.map(([op, c]) => `${op} x${c}`).join(', ')} (${count} of ${nodes.length} nodes). ` +
        `mvbench reads graphs made of Constant and ${OP_NAMES.join(', ')}; ` +
        `add the missing ops to OPS in packages/ir/src/ops.ts or export the model without them`,
    );
  }
  const problems = nodes.flatMap((n) => {
    const p = n.opType === 'Constant' ? undefined : opsetProblem(n.opType, attrs(n), opset);
    return p ? [`${n.opType} node '${n.name}': ${p}`] : [];
  });
  if (problems.length)
    throw userError(
      'UNSUPPORTED_OP',
      `ONNX model '${model}' (opset ${opset}) uses op forms the IR op table does not model: ${problems.slice(0, 5).join('; ')}` +
        `${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
    );
}

/** the value of a Constant node as a TensorProto, or undefined for forms we do not read (strings, sparse) */
function constantTensor(n: NodeProto): TensorProto | undefined {
  const a = n.attribute.length === 1 ? n.attribute[0] : undefined;
  if (!a) return undefined;
  if (a.name === 'value' && a.t) return a.t;
  const tensor = (dataType: TensorProto_DataType, dims: bigint[], fields: Partial<TensorProto>) =>
    ({
      dims,
      dataType,
      rawData: new Uint8Array(),
      floatData: [],
      int64Data: [],
      externalData: [],
      ...fields,
    }) as TensorProto;
  if (a.name === 'value_float') return tensor(TensorProto_DataType.FLOAT, [], { floatData: [a.f] });
  if (a.name === 'value_floats')
    return tensor(TensorProto_DataType.FLOAT, [BigInt(a.floats.length)], { floatData: a.floats });
  if (a.name === 'value_int') return tensor(TensorProto_DataType.INT64, [], { int64Data: [a.i] });
  if (a.name === 'value_ints')
    return tensor(TensorProto_DataType.INT64, [BigInt(a.ints.length)], { int64Data: a.ints });
  return undefined;
}

function attrs(n: NodeProto): Attrs {
  const types: Readonly<Record<string, AttrType>> = OPS[n.opType as keyof typeof OPS].attrs;
  const out: Record<string, AttrValue> = {};
  for (const a of n.attribute) {
    const where = `attribute '${a.name}' of ${n.opType} node '${n.name}'`;
    const expected = types[a.name];
    if (!expected)
      throw userError(
        'UNSUPPORTED_OP',
        `${where} is not in the IR op table (it knows ${Object.keys(types).join(', ') || 'no attributes'} for ${n.opType})`,
      );
    const actual = a.type === A.UNDEFINED ? expected : PROTO_TYPE[a.type];
    if (actual !== expected)
      throw userError(
        'INVALID_GRAPH',
        `${where} has type ${A[a.type] ?? a.type}, but ONNX defines it as ${expected}; the file is not a valid ONNX model`,
      );
    out[a.name] = attrValue(a, expected, where);
  }
  return out;
}

function attrValue(a: AttributeProto, type: AttrType, where: string): AttrValue {
  const int = (v: bigint) => int64(v, where);
  if (type === 'int') return int(a.i);
  if (type === 'ints') return a.ints.map(int);
  if (type === 'float') return a.f;
  if (type === 'floats') return [...a.floats];
  return new TextDecoder().decode(a.s);
}

function valueInfo(v: ValueInfoProto, kind: 'input' | 'output', needShape: boolean): ValueInfo {
  const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  const dtype = t && irDtype(t.elemType);
  if (!dtype)
    throw userError(
      'UNSUPPORTED_OP',
      `graph ${kind} '${v.name}' is ${t ? dtypeName(t.elemType) : 'not a tensor'}; mvbench graphs use float32 and int64 tensors`,
    );
  const dims = t.shape?.dim ?? [];
  const static_ = t.shape !== undefined && dims.every((d) => d.value.case === 'dimValue');
  if (!static_ && needShape)
    throw userError(
      'INVALID_GRAPH',
      `graph input '${v.name}' has no static shape (${dims.map((d) => d.value.value ?? '?').join(' x ') || 'unknown rank'}); ` +
        'mvbench needs fixed input shapes: export the model without dynamic axes',
    );
  return { name: v.name, dtype, shape: static_ ? dims.map((d) => Number(d.value.value)) : [] };
}
