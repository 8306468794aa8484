/** Structural facts of any ONNX model, including ops mvbench cannot represent (used to compare with torch exports). */
import { byCountThenName, decodeModel, defaultOpset, int64, opKey } from './decode.ts';
import type { ValueInfoProto } from './gen/onnx_pb.ts';
import { dtypeName } from './tensor-data.ts';

export interface OnnxValueSummary {
  name: string;
  /** ONNX data type name, e.g. FLOAT, INT64 */
  elemType: string;
  /** dim_value as a number, dim_param as its string, '?' when unknown */
  shape: (number | string)[];
}

export interface OnnxSummary {
  irVersion: number;
  /** opset of the default ONNX domain; undefined if the model imports none */
  opset: number | undefined;
  /** every opset import, by domain ('' is the default domain) */
  opsets: Record<string, number>;
  producer: string;
  producerVersion: string;
  graphName: string;
  /** nodes of the main graph (subgraphs of If/Loop are not counted) */
  nodeCount: number;
  /** nodes excluding Identity and Constant: the count to compare graphs by (reference/README.md) */
  computeNodeCount: number;
  /** op type -> count, most frequent first; ops outside the default domain are keyed `domain:op` */
  opHistogram: Record<string, number>;
  initializerCount: number;
  inputs: OnnxValueSummary[];
  outputs: OnnxValueSummary[];
}

export function readOnnxSummary(bytes: Uint8Array): OnnxSummary {
  const model = decodeModel(bytes, 'the input', false);
  const g = model.graph;
  const hist = new Map<string, number>();
  for (const n of g.node) {
    const key = opKey(n.opType, n.domain);
    hist.set(key, (hist.get(key) ?? 0) + 1);
  }
  const initializers = new Set(g.initializer.map((t) => t.name));
  return {
    irVersion: int64(model.irVersion, 'the IR version'),
    opset: defaultOpset(model),
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain, int64(o.version, `the opset version of domain '${o.domain}'`)])),
    producer: model.producerName,
    producerVersion: model.producerVersion,
    graphName: g.name,
    nodeCount: g.node.length,
    computeNodeCount: g.node.filter((n) => n.opType !== 'Identity' && n.opType !== 'Constant').length,
    opHistogram: Object.fromEntries([...hist].sort(byCountThenName)),
    initializerCount: g.initializer.length,
    inputs: g.input.filter((v) => !initializers.has(v.name)).map(valueSummary),
    outputs: g.output.map(valueSummary),
  };
}

function valueSummary(v: ValueInfoProto): OnnxValueSummary {
  const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
  return {
    name: v.name,
    elemType: t ? dtypeName(t.elemType) : 'non-tensor',
    shape: (t?.shape?.dim ?? []).map((d) =>
      d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?',
    ),
  };
}
