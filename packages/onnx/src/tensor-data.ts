/** IR tensors <-> TensorProto payloads: raw little-endian bytes, bit for bit (NaN payloads and -0 included). */
import { userError } from '@mvbench/core';
import { numel, type DType, type Shape, type TensorData } from '@mvbench/ir';
import { TensorProto_DataLocation, TensorProto_DataType, type TensorProto } from './gen/onnx_pb.ts';

export const ONNX_DTYPE: Record<DType, TensorProto_DataType> = {
  float32: TensorProto_DataType.FLOAT,
  int64: TensorProto_DataType.INT64,
};

export const dtypeName = (t: number): string => TensorProto_DataType[t] ?? `data type ${t}`;

export function irDtype(t: number): DType | undefined {
  if (t === TensorProto_DataType.FLOAT) return 'float32';
  if (t === TensorProto_DataType.INT64) return 'int64';
  return undefined;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapWords(bytes: Uint8Array, width: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i += width) out.subarray(i, i + width).reverse();
  return out;
}

/** the tensor's bytes in ONNX raw_data order (little endian); a view, not a copy, on little-endian hosts */
export function toRawData(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return littleEndianHost ? bytes : swapWords(bytes, data.BYTES_PER_ELEMENT);
}

/** the values of a float or int64 TensorProto (raw_data or the typed fields); `where` names it in errors */
export function tensorValues(t: TensorProto, where: string): { dtype: DType; dims: Shape; data: TensorData } {
  const dtype = irDtype(t.dataType);
  if (!dtype)
    throw userError(
      'UNSUPPORTED_OP',
      `${where} is ${dtypeName(t.dataType)}; mvbench graphs hold only float32 and int64 tensors`,
    );
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL || t.externalData.length)
    throw userError(
      'UNSUPPORTED_OP',
      `${where} stores its data in an external file; re-save the model with all tensors inside the .onnx file`,
    );
  const dims = t.dims.map(Number);
  const n = numel(dims);
  const data = dtype === 'float32' ? new Float32Array(n) : new BigInt64Array(n);
  if (t.rawData.length) {
    if (t.rawData.length !== data.byteLength)
      throw userError(
        'CORRUPT_FILE',
        `${where} has ${t.rawData.length} bytes of raw data, but ${dtype} [${dims.join(', ')}] needs ${data.byteLength}; the file is damaged`,
      );
    // copy: the decoded bytes are an unaligned view into the file
    const raw = littleEndianHost ? t.rawData : swapWords(t.rawData, data.BYTES_PER_ELEMENT);
    new Uint8Array(data.buffer).set(raw);
    return { dtype, dims, data };
  }
  const values = dtype === 'float32' ? t.floatData : t.int64Data;
  if (values.length !== n)
    throw userError(
      'CORRUPT_FILE',
      `${where} holds ${values.length} values, but ${dtype} [${dims.join(', ')}] needs ${n}; the file is damaged`,
    );
  if (data instanceof Float32Array) data.set(t.floatData);
  else data.set(t.int64Data);
  return { dtype, dims, data };
}
