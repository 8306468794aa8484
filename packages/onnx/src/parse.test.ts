import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { materialize, type Graph } from '@mvbench/ir';
import { describe, expect, test } from 'vitest';
import { toOnnx } from './emit.ts';
import {
  AttributeProto_AttributeType as A,
  ModelProtoSchema,
  TensorProto_DataType as T,
  type NodeProtoSchema,
  type TensorProtoSchema,
} from './gen/onnx_pb.ts';
import { fromOnnx } from './parse.ts';
import { readOnnxSummary } from './summary.ts';
import { cases, int64s, makeGraph, node, param } from './test-graphs.ts';

type NodeInit = MessageInitShape<typeof NodeProtoSchema>;
type TensorInit = MessageInitShape<typeof TensorProtoSchema>;

const bytesOf = (d: ArrayBufferView) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

function expectSameGraph(back: Graph, g: Graph) {
  expect(back.name).toBe(g.name);
  expect(back.inputs).toEqual(g.inputs);
  expect(back.outputs).toEqual(g.outputs);
  expect(back.values).toEqual(g.values);
  expect(back.nodes.map((n) => [n.op, n.name, n.inputs, n.outputs])).toEqual(
    g.nodes.map((n) => [n.op, n.name, n.inputs, n.outputs]),
  );
  back.nodes.forEach((n, i) => {
    const orig = g.nodes[i].attrs;
    // float attributes are float32 in ONNX; ints come back exact
    const f32 = (v: unknown): unknown => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(f32) : v);
    expect(n.attrs).toEqual(Object.fromEntries(Object.entries(orig).map(([k, v]) => [k, f32(v)])));
  });
  expect([...back.initializers.keys()]).toEqual([...g.initializers.keys()]);
  for (const [name, init] of g.initializers) {
    const b = back.initializers.get(name)!;
    expect([b.dtype, b.dims, b.init.kind]).toEqual([init.dtype, init.dims, 'data']);
    expect(b.role).toBe(init.dtype === 'float32' ? 'param' : 'const');
    expect(bytesOf(materialize(b, back.seed))).toEqual(bytesOf(materialize(init, g.seed)));
  }
}

describe('Graph -> ONNX -> Graph', () => {
  test.each(cases().map((c) => [c.graph.name, c.graph] as const))('%s round-trips', (_, g) => {
    expectSameGraph(fromOnnx(toOnnx(g)), g);
  });

  test('tensor data bit for bit (NaN payloads, -0, subnormals, int64 extremes) and attr kinds', () => {
    const f = new Float32Array([0, -0, 1.5, 1e-45, -3.4e38, Infinity, 0, 0]);
    new Uint32Array(f.buffer).set([0x7fa00001, 0xffc12345], 6);
    const g = makeGraph(
      'odd_values',
      { x: [2, 4] },
      [
        param('k', [2, 4], { kind: 'data', data: f }),
        int64s('shape', [-1]),
        {
          ...int64s('big', [2 ** 53 + 1, -(2 ** 53)]),
          init: { kind: 'data', data: BigInt64Array.from([9223372036854775807n, -9223372036854775808n]) },
        },
      ],
      [
        node('Mul', 'mul', ['x', 'k'], ['m']),
        node('HardSigmoid', 'hs', ['m'], ['h'], { alpha: 0.2, beta: 0.5 }),
        node('Reshape', 'flat', ['h', 'shape'], ['y'], { allowzero: 0 }),
      ],
      ['y'],
    );
    const back = fromOnnx(toOnnx(g));
    expectSameGraph(back, g);
    expect(back.nodes[1].attrs).toEqual({ alpha: Math.fround(0.2), beta: 0.5 });
    expect(Number.isInteger(back.nodes[2].attrs.allowzero)).toBe(true);
  });

  test('the name option and the ONNX graph name', () => {
    const g = cases()[0].graph;
    expect(fromOnnx(toOnnx(g), { name: 'renamed' }).name).toBe('renamed');
  });
});

/** a hand-written ModelProto: Constant nodes in all value forms, unnamed nodes, initializers listed as inputs */
function handWritten(
  nodes: NodeInit[],
  opset = 17,
  w: TensorInit = { name: 'w', dims: [2n], dataType: T.FLOAT, floatData: [0.5, -2] },
) {
  const tensorType = (elemType: number, dims: number[]) => ({
    value: {
      case: 'tensorType' as const,
      value: {
        elemType,
        shape: { dim: dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) },
      },
    },
  });
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [{ domain: '', version: BigInt(opset) }],
      producerName: 'hand',
      graph: {
        name: 'hand',
        node: nodes,
        initializer: [w],
        input: [
          { name: 'x', type: tensorType(T.FLOAT, [2, 3]) },
          { name: 'w', type: tensorType(T.FLOAT, [2]) },
        ],
        output: [{ name: 'y', type: tensorType(T.FLOAT, [3, 2]) }],
      },
    }),
  );
}

describe('fromOnnx on other producers', () => {
  test('turns Constant nodes into const initializers and names unnamed nodes', () => {
    const raw = new Uint8Array(BigInt64Array.from([3n, 2n]).buffer);
    const g = fromOnnx(
      handWritten([
        {
          opType: 'Constant',
          output: ['shape'],
          attribute: [{ name: 'value', type: A.TENSOR, t: { dims: [2n], dataType: T.INT64, rawData: raw } }],
        },
        { opType: 'Constant', output: ['two'], attribute: [{ name: 'value_float', type: A.FLOAT, f: 2 }] },
        { opType: 'Constant', output: ['axes'], attribute: [{ name: 'value_ints', type: A.INTS, ints: [0n] }] },
        { opType: 'Reshape', input: ['x', 'shape'], output: ['r'] },
        { opType: 'Mul', input: ['r', 'two'], output: ['m'] },
        { opType: 'Mul', name: '', input: ['m', 'w'], output: ['y'] },
      ]),
    );
    expect(g.nodes.map((n) => [n.name, n.op])).toEqual([
      ['Reshape_3', 'Reshape'],
      ['Mul_4', 'Mul'],
      ['Mul_5', 'Mul'],
    ]);
    expect(g.inputs.map((i) => i.name)).toEqual(['x']);
    const init = (n: string) => g.initializers.get(n)!;
    expect(init('shape')).toMatchObject({
      dtype: 'int64',
      dims: [2],
      role: 'const',
      init: { kind: 'data', data: BigInt64Array.from([3n, 2n]) },
    });
    expect(init('two')).toMatchObject({
      dtype: 'float32',
      dims: [],
      role: 'const',
      init: { data: Float32Array.from([2]) },
    });
    expect(init('axes')).toMatchObject({ dtype: 'int64', dims: [1], role: 'const' });
    expect(init('w')).toMatchObject({ role: 'param', init: { data: Float32Array.from([0.5, -2]) } });
    expect(g.values.get('y')!.shape).toEqual([3, 2]);
  });

  test('UNSUPPORTED_OP lists every unknown op with its count', () => {
    const bytes = handWritten([
      { opType: 'Shape', input: ['x'], output: ['s'] },
      { opType: 'Expand', input: ['x', 's'], output: ['e'] },
      { opType: 'Shape', input: ['e'], output: ['s2'] },
      {
        opType: 'Constant',
        output: ['str'],
        attribute: [{ name: 'value_string', type: A.STRING, s: new Uint8Array([65]) }],
      },
      { opType: 'FusedMatMul', domain: 'com.microsoft', input: ['x', 'x'], output: ['y'] },
    ]);
    expect(() => fromOnnx(bytes)).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_OP',
        message: expect.stringContaining(
          'Shape x2, Constant(value_string) x1, Expand x1, com.microsoft:FusedMatMul x1',
        ),
      }),
    );
    expect(readOnnxSummary(bytes).opHistogram).toEqual({
      Shape: 2,
      'com.microsoft:FusedMatMul': 1,
      Constant: 1,
      Expand: 1,
    });
  });

  test('attributes the table does not know, or of the wrong type', () => {
    const conv = (attribute: object[]) =>
      handWritten([{ opType: 'Softmax', name: 'sm', input: ['x'], output: ['y'], attribute }]);
    expect(() => fromOnnx(conv([{ name: 'axes', type: A.INT, i: 1n }]))).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_OP',
        message: expect.stringContaining("attribute 'axes' of Softmax node 'sm'"),
      }),
    );
    expect(() => fromOnnx(conv([{ name: 'axis', type: A.FLOAT, f: 1 }]))).toThrow(
      expect.objectContaining({
        code: 'INVALID_GRAPH',
        message: expect.stringContaining('has type FLOAT, but ONNX defines it as int'),
      }),
    );
  });

  test('op forms of another opset', () => {
    const bytes = handWritten(
      [
        {
          opType: 'ReduceMean',
          name: 'rm',
          input: ['x'],
          output: ['y'],
          attribute: [{ name: 'axes', type: A.INTS, ints: [1n] }],
        },
      ],
      18,
    );
    expect(() => fromOnnx(bytes)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OP', message: expect.stringContaining("ReduceMean node 'rm'") }),
    );
  });
});

describe('fromOnnx on damaged input', () => {
  const good = toOnnx(cases()[0].graph);

  test.each([
    ['truncated in the middle', good.subarray(0, Math.floor(good.length / 2))],
    ['truncated by one byte', good.subarray(0, good.length - 1)],
    ['empty', new Uint8Array()],
    ['text', new TextEncoder().encode('{"not": "onnx"}\n')],
    ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff)],
  ])('%s -> CORRUPT_FILE', (_, bytes) => {
    for (const read of [fromOnnx, readOnnxSummary]) {
      let error: unknown;
      try {
        read(bytes);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({
        name: 'MvbenchError',
        code: 'CORRUPT_FILE',
        message: expect.stringContaining('is not a valid ONNX model'),
      });
    }
  });

  test('tensor data of the wrong length -> CORRUPT_FILE naming the tensor', () => {
    const identity = [{ opType: 'Identity', input: ['x'], output: ['y'] }];
    const short = handWritten(identity, 17, { name: 'w', dims: [2n], dataType: T.FLOAT, rawData: new Uint8Array(7) });
    expect(() => fromOnnx(short)).toThrow(
      expect.objectContaining({
        code: 'CORRUPT_FILE',
        message: expect.stringContaining("initializer 'w' has 7 bytes"),
      }),
    );
    const few = handWritten(identity, 17, { name: 'w', dims: [2n], dataType: T.FLOAT, floatData: [1] });
    expect(() => fromOnnx(few)).toThrow(expect.objectContaining({ code: 'CORRUPT_FILE' }));
  });
});

describe('int64 header fields', () => {
  test('an opset version beyond 2^53 is a user error naming the field, not a rounded number', () => {
    const model = create(ModelProtoSchema, { irVersion: 8n, opsetImport: [{ domain: '', version: 2n ** 60n }], graph: { name: 'g' } });
    const bytes = toBinary(ModelProtoSchema, model);
    expect(() => readOnnxSummary(bytes)).toThrow(/the default opset version holds 1152921504606846976, which does not fit a JavaScript number/);
  });
});
