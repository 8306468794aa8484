/**
 * safetensors reader/writer: 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor
 * bytes. Everything is read as float32; F16, BF16 and F64 tensors are converted on read.
 */
import { readFileSync } from 'node:fs';
import { MvbenchError, userError } from '@mvbench/core';
import { numel, shapeString } from '@mvbench/ir';

export interface SafeTensor {
  dtype: 'F32';
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
  /** tensor names in the order of their bytes in the file */
  order: string[];
}

export interface TensorToWrite {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

const DTYPE_SIZE = { F32: 4, F16: 2, BF16: 2, F64: 8 } as const;
type FileDType = keyof typeof DTYPE_SIZE;
const SUPPORTED = Object.keys(DTYPE_SIZE).join(', ');
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface Entry {
  name: string;
  dtype: FileDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file. F32 tensors whose bytes are 4-aligned in memory are views of `bytes` (no copy), so
 * they share memory with the input.
 */
export function readSafetensors(bytes: Uint8Array, file?: string): SafetensorsFile {
  const fail = (what: string): MvbenchError =>
    userError('CORRUPT_FILE', `corrupt safetensors file${file ? ` '${file}'` : ''}: ${what}`);
  if (bytes.length < 8) throw fail(`it is ${bytes.length} bytes long, shorter than the 8-byte header length field`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8))
    throw fail(`header length ${headerLen} goes past the end of the file (${bytes.length - 8} bytes after the length field)`);
  const dataStart = 8 + Number(headerLen);
  const dataLen = bytes.length - dataStart;

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw fail('header is not a JSON object');

  const metadata = parseMetadata(header.__metadata__, fail);
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name !== '__metadata__') entries.push(parseEntry(name, raw, dataLen, fail));
  }
  checkLayout(entries, dataLen, fail);

  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) tensors.set(e.name, { dtype: 'F32', shape: e.shape, data: decode(bytes, dataStart, e) });
  return { tensors, metadata, order: entries.map((e) => e.name) };
}

function parseMetadata(raw: unknown, fail: (what: string) => MvbenchError): Record<string, string> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw fail('__metadata__ is not an object of strings');
  for (const [k, v] of Object.entries(raw))
    if (typeof v !== 'string') throw fail(`__metadata__ field '${k}' is ${JSON.stringify(v)}, only strings are allowed`);
  return raw as Record<string, string>;
}

function parseEntry(name: string, raw: unknown, dataLen: number, fail: (what: string) => MvbenchError): Entry {
  const at = `tensor '${name}'`;
  if (!isObject(raw)) throw fail(`${at} is not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string') throw fail(`${at} has no string field 'dtype'`);
  if (!Object.hasOwn(DTYPE_SIZE, dtype)) throw fail(`${at} has dtype ${dtype}; supported dtypes are ${SUPPORTED}`);
  if (!Array.isArray(shape) || !shape.every(isIndex))
    throw fail(`${at} has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1])
    throw fail(`${at} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
  const [begin, end] = offsets as [number, number];
  if (end > dataLen) throw fail(`${at} has data_offsets [${begin}, ${end}] past the end of the data (${dataLen} bytes)`);
  const want = numel(shape) * DTYPE_SIZE[dtype as FileDType];
  if (end - begin !== want)
    throw fail(`${at} spans ${end - begin} bytes but ${dtype} ${shapeString(shape)} needs ${want} bytes`);
  return { name, dtype: dtype as FileDType, shape, begin, end };
}

/** tensors must tile the data region exactly: no overlap, no gap, no trailing bytes (as the reference reader) */
function checkLayout(entries: Entry[], dataLen: number, fail: (what: string) => MvbenchError): void {
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let prev: Entry | undefined;
  for (const e of entries) {
    const prevEnd = prev?.end ?? 0;
    if (e.begin < prevEnd)
      throw fail(`tensor '${e.name}' [${e.begin}, ${e.end}] overlaps tensor '${prev!.name}' [${prev!.begin}, ${prev!.end}]`);
    if (e.begin > prevEnd)
      throw fail(`tensor '${e.name}' starts at byte ${e.begin}, leaving a gap after byte ${prevEnd}${prev ? ` (end of '${prev.name}')` : ''}`);
    prev = e;
  }
  const covered = prev?.end ?? 0;
  if (covered !== dataLen) throw fail(`the tensors cover ${covered} data bytes but ${dataLen} follow the header`);
}

function decode(bytes: Uint8Array, dataStart: number, e: Entry): Float32Array {
  const offset = bytes.byteOffset + dataStart + e.begin;
  const n = numel(e.shape);
  if (e.dtype === 'F32' && LITTLE_ENDIAN && offset % 4 === 0) return new Float32Array(bytes.buffer, offset, n);
  const view = new DataView(bytes.buffer, offset, e.end - e.begin);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (e.dtype === 'F32') out[i] = view.getFloat32(4 * i, true);
    else if (e.dtype === 'F64') out[i] = view.getFloat64(8 * i, true);
    else if (e.dtype === 'BF16') out[i] = bf16(view.getUint16(2 * i, true));
    else out[i] = f16(view.getUint16(2 * i, true));
  }
  return out;
}

const scratch = new DataView(new ArrayBuffer(4));
const bf16 = (h: number): number => (scratch.setUint32(0, h << 16), scratch.getFloat32(0));

function f16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** Serialises float32 tensors in the given order; the header is padded with spaces to a multiple of 8 bytes. */
export function writeSafetensors(tensors: readonly TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = Object.create(null); // a tensor may be called '__proto__'
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || Object.hasOwn(header, t.name))
      throw userError('BAD_ARGUMENT', `cannot write tensor '${t.name}': the name is ${t.name === '__metadata__' ? 'reserved' : 'used twice'}`);
    if (!t.shape.every(isIndex) || numel(t.shape) !== t.data.length)
      throw userError('BAD_ARGUMENT', `cannot write tensor '${t.name}': shape ${shapeString(t.shape)} does not hold ${t.data.length} values`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const t of tensors) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else t.data.forEach((v, i) => view.setFloat32(at + 4 * i, v, true));
    at += t.data.byteLength;
  }
  return out;
}

/** Reads and parses a safetensors file from disk. */
export function readSafetensorsFile(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR')
      throw userError('FILE_NOT_FOUND', `weights file '${path}' ${code === 'EISDIR' ? 'is a directory, not a file' : 'not found'}`);
    throw e;
  }
  return readSafetensors(bytes, path);
}
