/** Graph -> ONNX ModelProto bytes. Attribute types come from the IR op table, tensors are written as raw_data. */
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { userError } from '@mvbench/core';
import { OPS, isOpName, materialize, numel, shapeString, type AttrType, type AttrValue, type Graph, type Initializer, type Node, type ValueInfo } from '@mvbench/ir';
import {
  AttributeProto_AttributeType as A,
  ModelProtoSchema,
  type AttributeProtoSchema,
  type NodeProtoSchema,
  type TensorProtoSchema,
  type ValueInfoProtoSchema,
} from './gen/onnx_pb.ts';
import { MAX_OPSET, MIN_OPSET, irVersionForOpset, opsetProblem } from './opset.ts';
import { ONNX_DTYPE, toRawData } from './tensor-data.ts';

export interface ToOnnxOptions {
  /** default-domain opset to declare (13..23, default 17); the IR version follows from it */
  opset?: number;
  /** producer_name, default 'mvbench' */
  producer?: string;
  docString?: string;
  /** written as metadata_props */
  metadata?: Record<string, string>;
  /** named dimensions instead of sizes, as torch.onnx.export's dynamic_axes: { input: { 0: 'batch' } } */
  dynamicAxes?: Record<string, Record<number, string>>;
}

export const DEFAULT_OPSET = 17;

export function toOnnx(graph: Graph, opts: ToOnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    throw userError(
      'BAD_ARGUMENT',
      `cannot emit ONNX opset ${opset}: choose an opset from ${MIN_OPSET} to ${MAX_OPSET}`,
    );
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(irVersionForOpset(opset)),
    opsetImport: [{ domain: '', version: BigInt(opset) }],
    producerName: opts.producer ?? 'mvbench',
    ...(opts.docString !== undefined && { docString: opts.docString }),
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => nodeProto(n, opset)),
      initializer: [...graph.initializers.values()].map((i) => tensorProto(i, graph.seed)),
      input: graph.inputs.map((v) => valueInfo(v, 'input', opts.dynamicAxes?.[v.name])),
      output: graph.outputs.map((v) => valueInfo(v.shape.length ? v : (graph.values.get(v.name) ?? v), 'output', opts.dynamicAxes?.[v.name])),
    },
  });
  return toBinary(ModelProtoSchema, model);
}

function nodeProto(node: Node, opset: number): MessageInitShape<typeof NodeProtoSchema> {
  if (!isOpName(node.op))
    throw userError('UNSUPPORTED_OP', `node '${node.name}' has op '${node.op}', which is not in the IR op table`);
  const problem = opsetProblem(node.op, node.attrs, opset);
  if (problem)
    throw userError('BAD_ARGUMENT', `cannot emit opset ${opset}: ${node.op} node '${node.name}': ${problem}`);
  const types: Readonly<Record<string, AttrType>> = OPS[node.op].attrs;
  const attribute = Object.entries(node.attrs).map(([name, value]) => {
    const type = types[name];
    if (!type)
      throw userError(
        'INVALID_GRAPH',
        `${node.op} node '${node.name}' has attribute '${name}', which the op table does not list for ${node.op}` +
          ` (known: ${Object.keys(types).join(', ') || 'none'}); add it to OPS in packages/ir/src/ops.ts or drop it`,
      );
    return attributeProto(node, name, value, type);
  });
  return {
    name: node.name,
    opType: node.op,
    domain: '',
    // trailing omitted optional inputs are left out (some runtimes, e.g. onnxruntime-web's WebGL/WebGPU, reject '')
    input: node.inputs.slice(0, node.inputs.findLastIndex((i) => i !== '') + 1),
    output: [...node.outputs],
    attribute,
  };
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number';

function attributeProto(
  node: Node,
  name: string,
  value: AttrValue,
  type: AttrType,
): MessageInitShape<typeof AttributeProtoSchema> {
  const list = Array.isArray(value) ? (value as readonly unknown[]) : undefined;
  if (type === 'int' && isInt(value)) return { name, type: A.INT, i: BigInt(value) };
  if (type === 'float' && isNum(value)) return { name, type: A.FLOAT, f: value };
  if (type === 'string' && typeof value === 'string')
    return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (type === 'ints' && list?.every(isInt)) return { name, type: A.INTS, ints: list.map((v) => BigInt(v as number)) };
  if (type === 'floats' && list?.every(isNum)) return { name, type: A.FLOATS, floats: list as number[] };
  throw userError(
    'INVALID_GRAPH',
    `${node.op} node '${node.name}': attribute '${name}' must be of type ${type} (op table) but is ${JSON.stringify(value)}`,
  );
}

function tensorProto(init: Initializer, seed: number): MessageInitShape<typeof TensorProtoSchema> {
  const data = materialize(init, seed);
  const expected = init.dtype === 'float32' ? Float32Array : BigInt64Array;
  if (!(data instanceof expected) || data.length !== numel(init.dims))
    throw userError(
      'INVALID_GRAPH',
      `initializer '${init.name}' is declared ${init.dtype} ${shapeString(init.dims)} but its data is a ` +
        `${data.constructor.name} of ${data.length} values`,
    );
  return {
    name: init.name,
    dims: init.dims.map(BigInt),
    dataType: ONNX_DTYPE[init.dtype],
    rawData: toRawData(data),
  };
}

function valueInfo(v: ValueInfo, kind: string, dynamic: Record<number, string> = {}): MessageInitShape<typeof ValueInfoProtoSchema> {
  if (!v.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw userError(
      'INVALID_GRAPH',
      `graph ${kind} '${v.name}' has shape ${shapeString(v.shape)}; ONNX export needs static shapes`,
    );
  return {
    name: v.name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType: ONNX_DTYPE[v.dtype],
          shape: { dim: v.shape.map((d, i) => ({ value: dynamic[i] ? { case: 'dimParam', value: dynamic[i] } : { case: 'dimValue', value: BigInt(d) } })) },
        },
      },
    },
  };
}
