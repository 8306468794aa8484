/**
 * Any ONNX file as a model to time (like onnxruntime_perf_test): its inputs with every dimension fixed (dynamic ones
 * from the caller's shapes), outputs, ops and parameter count, and the bytes with those shapes written into the
 * graph's inputs, so that every runner (and the IR importer) sees static shapes. MACs only when the IR importer
 * reads the graph; ops outside its table are fine for runtimes that take the file as it is.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { userError } from '@mvbench/core';
import { countMacs } from '@mvbench/ir';
import { decodeModel, defaultOpset, int64, opKey } from './decode.ts';
import { ModelProtoSchema, TensorProto_DataType, TensorShapeProtoSchema, type ValueInfoProto } from './gen/onnx_pb.ts';
import { fromOnnx } from './parse.ts';
import { dtypeName } from './tensor-data.ts';

/** a shape the caller gives for an input: `name` may be left out when the model has one input */
export interface InputShape {
  name?: string;
  dims: number[];
}

export interface OnnxModelFile {
  inputs: { name: string; shape: number[] }[];
  outputs: string[];
  /** op types (domain-prefixed outside the default domain), first use first */
  ops: string[];
  opset: number | null;
  producer: string;
  /** elements of the float initializers */
  params: number;
  /** from the IR importer; null when it cannot read the graph (`importError` says why) */
  macs: number | null;
  importError?: string;
  /** the model with the input shapes written in; the file's own bytes when it had no dynamic dimension */
  bytes: Uint8Array;
}

const dimText = (d: ValueInfoProto) =>
  (d.type?.value.case === 'tensorType' ? (d.type.value.value.shape?.dim ?? []) : []).map((x) => (x.value.case === 'dimValue' ? String(x.value.value) : x.value.value || '?')).join('x');

/** reads `bytes` (named `what` in messages) with the given input shapes; a user error for anything it cannot time */
export function readOnnxModelFile(bytes: Uint8Array, what: string, shapes: readonly InputShape[] = []): OnnxModelFile {
  const model = decodeModel(bytes, what);
  const g = model.graph;
  const initializers = new Set(g.initializer.map((t) => t.name));
  const inputs = g.input.filter((v) => !initializers.has(v.name));
  const names = inputs.map((v) => v.name);
  const given = new Map<string, number[]>();
  for (const s of shapes) {
    if (s.name === undefined && inputs.length !== 1)
      throw userError('BAD_ARGUMENT', `${what} has ${inputs.length} inputs (${names.join(', ')}): name the input of each shape, e.g. ${names[0] ?? 'input'}=1x3x224x224`);
    const name = s.name ?? names[0];
    if (!names.includes(name)) throw userError('BAD_ARGUMENT', `${what} has no input '${name}'; its inputs: ${names.join(', ')}`);
    given.set(name, s.dims);
  }
  let pinned = false;
  const resolved = inputs.map((v) => {
    const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
    if (t?.elemType !== TensorProto_DataType.FLOAT)
      throw userError('UNSUPPORTED_OP', `${what}: input '${v.name}' is ${t ? dtypeName(t.elemType) : 'not a tensor'}; mvbench feeds seeded float32 inputs only`);
    const dims = t.shape?.dim ?? [];
    const want = given.get(v.name);
    const example = dims.map((d) => (d.value.case === 'dimValue' ? String(d.value.value) : '1')).join('x') || '1x3x224x224';
    if (!want) {
      if (t.shape && dims.every((d) => d.value.case === 'dimValue')) return { name: v.name, shape: dims.map((d) => int64(d.value.value as bigint, `input '${v.name}'`)) };
      throw userError('BAD_ARGUMENT', `${what}: input '${v.name}' has dynamic dimensions (${dimText(v) || 'unknown shape'}): give its shape (--input-shape, or inputShapes in a plan), e.g. ${inputs.length > 1 ? `${v.name}=` : ''}${example}`);
    }
    if (t.shape && want.length !== dims.length)
      throw userError('BAD_ARGUMENT', `${what}: input '${v.name}' has ${dims.length} dimensions (${dimText(v)}), the shape given ${want.length} (${want.join('x')})`);
    dims.forEach((d, i) => {
      if (d.value.case === 'dimValue' && Number(d.value.value) !== want[i])
        throw userError('BAD_ARGUMENT', `${what}: input '${v.name}' is ${dimText(v)}; dimension ${i} is fixed at ${d.value.value}, the shape given says ${want[i]} (only dynamic dimensions can be set)`);
    });
    // written into the graph: runtimes and the IR importer then see one static shape
    t.shape = create(TensorShapeProtoSchema, { dim: want.map((n) => ({ value: { case: 'dimValue' as const, value: BigInt(n) } })) });
    pinned = true;
    return { name: v.name, shape: want };
  });
  const out = pinned ? toBinary(ModelProtoSchema, model) : bytes;
  let macs: number | null = null, importError: string | undefined;
  try {
    macs = countMacs(fromOnnx(out, { name: what }));
  } catch (e) {
    importError = (e as Error).message;
  }
  const floats = g.initializer.filter((t) => t.dataType === TensorProto_DataType.FLOAT);
  return {
    inputs: resolved,
    outputs: g.output.map((o) => o.name),
    // Constant nodes are values, not kernels (the IR importer turns them into initializers)
    ops: [...new Set(g.node.filter((n) => n.opType !== 'Constant').map((n) => opKey(n.opType, n.domain)))],
    opset: defaultOpset(model) ?? null,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    params: floats.reduce((a, t) => a + t.dims.reduce((p, d) => p * Number(d), 1), 0),
    macs,
    ...(importError !== undefined && { importError }),
    bytes: out,
  };
}
