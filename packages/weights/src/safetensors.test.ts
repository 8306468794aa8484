import { readFileSync } from 'node:fs';
import { referenceFile } from '@mvbench/fixtures';
import { describe, expect, it } from 'vitest';
import { MvbenchError } from '@mvbench/core';
import { readSafetensors, readSafetensorsFile, writeSafetensors } from './safetensors.ts';

const MODELS = ['mobilevit_xxs', 'mobilevitv2_050', 'swiftformer_xs'];

const fixture = (name: string): string => referenceFile(`parity/${name}`);

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

function errorOf(fn: () => unknown): MvbenchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MvbenchError) return e;
    throw e;
  }
  throw new Error('expected an MvbenchError');
}

/** a safetensors file with the given header object and `dataLen` zero bytes of data */
function craft(header: unknown, dataLen: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataLen);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('parity fixtures', () => {
  for (const model of MODELS) {
    it(`reads ${model}.safetensors as listed in ${model}.json`, () => {
      const path = fixture(`${model}.safetensors`);
      const record = JSON.parse(readFileSync(fixture(`${model}.json`), 'utf8'));
      const bytes = readFileSync(path);
      const file = readSafetensorsFile(path);
      const listed = record.tensors as Array<[string, number[]]>;

      expect(file.order.length).toBe(record.weights.tensors);
      expect(file.order).toEqual(listed.map(([name]) => name));
      expect(file.order.map((n) => file.tensors.get(n)!.shape)).toEqual(listed.map(([, shape]) => shape));
      expect([...file.tensors.values()].reduce((s, t) => s + t.data.length, 0)).toBe(record.weights.values);
      expect(file.metadata.model).toBe(model);
      expect(file.metadata).toEqual(record.weights.metadata);

      // the writer reproduces the reference file byte for byte
      const written = writeSafetensors(file.order.map((name) => ({ name, ...file.tensors.get(name)! })), file.metadata);
      expect(Buffer.from(written).equals(bytes)).toBe(true);
    });
  }

  it('reads aligned float32 data without copying', () => {
    const bytes = new Uint8Array(readFileSync(fixture('mobilevit_xxs.safetensors')));
    const first = readSafetensors(bytes).tensors.get('stem.conv.weight')!;
    expect(first.data.buffer).toBe(bytes.buffer);
  });
});

describe('writeSafetensors / readSafetensors', () => {
  const special = new Float32Array(new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x7f800000, 0xff800000, 1, 0x3f800000]).buffer);
  const tensors = [
    { name: 'a.weight', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, 3e38, -0]) },
    { name: 'special', shape: [7], data: special },
    { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    { name: 'scalar', shape: [], data: Float32Array.from([Math.PI]) },
    { name: 'ünïcode.名前', shape: [1, 1, 1], data: Float32Array.from([42]) },
  ];

  it('round-trips bit-exactly in the given order, header padded with spaces', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt', note: 'x' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))).toMatch(/^\{"__metadata__":.*\} *$/);
    const file = readSafetensors(bytes, 'mem.safetensors');
    expect(file.order).toEqual(tensors.map((t) => t.name));
    expect(file.metadata).toEqual({ format: 'pt', note: 'x' });
    for (const t of tensors) {
      const got = file.tensors.get(t.name)!;
      expect(got.dtype).toBe('F32');
      expect(got.shape).toEqual(t.shape);
      expect(bits(got.data)).toEqual(bits(t.data));
    }
  });

  it('copies misaligned data instead of viewing it', () => {
    const bytes = writeSafetensors(tensors);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const file = readSafetensors(shifted);
    expect(file.tensors.get('special')!.data.buffer).not.toBe(shifted.buffer);
    expect(bits(file.tensors.get('special')!.data)).toEqual(bits(special));
    expect(file.metadata).toEqual({});
  });

  it('converts F16, BF16 and F64 to float32', () => {
    const data = new Uint8Array(6 * 2 + 2 * 2 + 2 * 8);
    const view = new DataView(data.buffer);
    [0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0x3555].forEach((h, i) => view.setUint16(2 * i, h, true));
    [0x3f80, 0xc0a0].forEach((h, i) => view.setUint16(12 + 2 * i, h, true));
    [0.1, -1e300].forEach((v, i) => view.setFloat64(16 + 8 * i, v, true));
    const header = {
      h: { dtype: 'F16', shape: [6], data_offsets: [0, 12] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [12, 16] },
      d: { dtype: 'F64', shape: [2], data_offsets: [16, 32] },
    };
    const bytes = craft(header, 0);
    const full = new Uint8Array(bytes.length + data.length);
    full.set(bytes);
    full.set(data, bytes.length);
    const t = readSafetensors(full).tensors;
    expect([...t.get('h')!.data]).toEqual([1, -2, 2 ** -24, 65504, Infinity, Math.fround(0.333251953125)]);
    expect([...t.get('b')!.data]).toEqual([1, -5]);
    expect([...t.get('d')!.data]).toEqual([Math.fround(0.1), -Infinity]);
  });

  it('rejects tensors whose data does not fit the shape, and duplicate names', () => {
    expect(errorOf(() => writeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).message).toMatch(
      /'x'.*\[2, 2\].*3 values/,
    );
    expect(() =>
      writeSafetensors([
        { name: 'x', shape: [1], data: new Float32Array(1) },
        { name: 'x', shape: [1], data: new Float32Array(1) },
      ]),
    ).toThrow(/'x'.*twice/);
  });
});

describe('corrupt files', () => {
  const expectCorrupt = (bytes: Uint8Array, pattern: RegExp, file = 'bad.safetensors'): void => {
    const e = errorOf(() => readSafetensors(bytes, file));
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.message).toContain(`'${file}'`);
    expect(e.message).toMatch(pattern);
  };
  const one = (entry: object, dataLen = 4, extra: object = {}): Uint8Array =>
    craft({ ...extra, t: { dtype: 'F32', shape: [1], data_offsets: [0, 4], ...entry } }, dataLen);

  it('rejects the real file cut at any point', () => {
    const bytes = readFileSync(fixture('mobilevit_xxs.safetensors'));
    const headerEnd = 8 + Number(bytes.readBigUInt64LE(0));
    for (const cut of [0, 3, 7, 8, 9, 100, headerEnd - 1, headerEnd, headerEnd + 1, bytes.length >> 1, bytes.length - 1])
      expectCorrupt(bytes.subarray(0, cut), /shorter than|past the end|not valid UTF-8 JSON|cover/, 'mobilevit_xxs.safetensors');
  });

  it('rejects a garbage header and an overflowing header length', () => {
    expectCorrupt(craft(null, 0, 'this is not json'), /header is not valid UTF-8 JSON/);
    expectCorrupt(craft(null, 0, '[1, 2]'), /not a JSON object/);
    const huge = craft({}, 0);
    new DataView(huge.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
    expectCorrupt(huge, /header length 18446744073709551615 goes past the end/);
  });

  it('rejects overlapping, gapped, out-of-range and mis-sized data', () => {
    const two = (a: number[], b: number[], dataLen = 12): Uint8Array =>
      craft({ a: { dtype: 'F32', shape: [2], data_offsets: a }, b: { dtype: 'F32', shape: [2], data_offsets: b } }, dataLen);
    expectCorrupt(two([0, 8], [4, 12]), /tensor 'b' \[4, 12\] overlaps tensor 'a' \[0, 8\]/);
    expectCorrupt(two([0, 8], [0, 8], 8), /overlaps/);
    expectCorrupt(two([0, 8], [12, 20], 20), /tensor 'b' starts at byte 12, leaving a gap/);
    expectCorrupt(two([0, 8], [8, 16], 20), /cover 16 data bytes but 20/);
    expectCorrupt(one({ data_offsets: [0, 8] }), /tensor 't' has data_offsets \[0, 8\] past the end/);
    expectCorrupt(one({ shape: [2] }), /tensor 't' spans 4 bytes but F32 \[2\] needs 8 bytes/);
    expectCorrupt(one({ data_offsets: [4, 0] }), /tensor 't' has data_offsets \[4,0\]/);
  });

  it('rejects missing fields and unsupported dtypes, naming the tensor', () => {
    expectCorrupt(one({ dtype: 'I64' }), /tensor 't' has dtype I64; supported dtypes are F32, F16, BF16, F64/);
    expectCorrupt(one({ dtype: undefined }), /tensor 't' has no string field 'dtype'/);
    expectCorrupt(one({ shape: undefined }), /tensor 't' has shape undefined/);
    expectCorrupt(one({ shape: [-1] }), /tensor 't' has shape \[-1\]/);
    expectCorrupt(one({ data_offsets: undefined }), /tensor 't' has data_offsets undefined/);
    expectCorrupt(craft({ t: 5 }, 0), /tensor 't' is not an object/);
    expectCorrupt(one({}, 4, { __metadata__: { n: 1 } }), /__metadata__ field 'n' is 1/);
  });
});

describe('readSafetensorsFile', () => {
  it('names a missing file', () => {
    const e = errorOf(() => readSafetensorsFile('/nonexistent/w.safetensors'));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('/nonexistent/w.safetensors');
  });
});
