import { fromBinary } from '@bufbuild/protobuf';
import { userError } from '@mvbench/core';
import { ModelProtoSchema, type GraphProto, type ModelProto } from './gen/onnx_pb.ts';

export type DecodedModel = ModelProto & { graph: GraphProto };

const NOT_ONNX = 'is not a valid ONNX model';
const HINT = 'check that it is a complete .onnx file (not truncated, not another format)';

/** decodes a ModelProto; anything that is not a complete ONNX model is a CORRUPT_FILE error */
export function decodeModel(bytes: Uint8Array, what: string, requireOpset = true): DecodedModel {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw userError('CORRUPT_FILE', `${what} ${NOT_ONNX}: protobuf decoding failed (${(e as Error).message}); ${HINT}`);
  }
  const missing = [
    model.irVersion > 0n ? undefined : 'ir_version',
    model.graph ? undefined : 'graph',
    !requireOpset || defaultOpset(model) !== undefined ? undefined : 'an opset_import of the default domain',
  ].filter(Boolean);
  if (missing.length)
    throw userError('CORRUPT_FILE', `${what} ${NOT_ONNX}: it has no ${missing.join(', no ')}; ${HINT}`);
  return model as DecodedModel;
}

const isDefaultDomain = (domain: string) => domain === '' || domain === 'ai.onnx';

/** an int64 read from a model file as a JavaScript number; one beyond 2^53 is a user error naming `where` */
export function int64(v: bigint, where: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
    throw userError('UNSUPPORTED_OP', `${where} holds ${v}, which does not fit a JavaScript number`);
  return Number(v);
}

export const defaultOpset = (model: ModelProto): number | undefined => {
  const o = model.opsetImport.find((o) => isDefaultDomain(o.domain));
  return o ? int64(o.version, 'the default opset version') : undefined;
};

/** histogram key of a node: the op type, prefixed by its domain outside the default ONNX domain */
export const opKey = (opType: string, domain: string): string =>
  isDefaultDomain(domain) ? opType : `${domain}:${opType}`;

/** count-descending, then by name in code-point order (locale independent), as in a stable histogram */
export const byCountThenName = (a: [string, number], b: [string, number]): number =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
