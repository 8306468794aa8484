import { fromBinary } from '@bufbuild/protobuf';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, test } from 'vitest';
import { toOnnx } from './emit.ts';
import { AttributeProto_AttributeType as A, ModelProtoSchema, TensorProto_DataType } from './gen/onnx_pb.ts';
import { cases, type Case } from './test-graphs.ts';

async function runInOrt(bytes: Uint8Array, c: Case): Promise<Record<string, Tensor>> {
  const session = await InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    const feeds = Object.fromEntries(
      Object.entries(c.feeds).map(([name, f]) => [name, new Tensor('float32', f.data, [...f.dims])]),
    );
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function expectClose(actual: Tensor, expected: Case['expected'][string]) {
  expect(actual.dims).toEqual(expected.dims);
  const data = actual.data as Float32Array;
  expect(data.length).toBe(expected.data.length);
  let worst = 0;
  for (let i = 0; i < data.length; i++)
    worst = Math.max(worst, Math.abs(data[i] - expected.data[i]) / (1 + Math.abs(expected.data[i])));
  expect(worst).toBeLessThan(2e-6);
}

describe('emitted graphs run in onnxruntime and match plain-JS results', () => {
  test.each(cases().map((c) => [c.graph.name, c] as const))('%s', async (_, c) => {
    const out = await runInOrt(toOnnx(c.graph), c);
    expect(Object.keys(out).sort()).toEqual(Object.keys(c.expected).sort());
    for (const [name, exp] of Object.entries(c.expected)) expectClose(out[name], exp);
  });

  test.each([
    [13, 7n],
    [17, 8n],
    [21, 10n],
    [23, 11n],
  ])('opset %i declares IR version %s and runs', async (opset, ir) => {
    const c = cases().find((k) => k.graph.name === 'matmul_add')!;
    const bytes = toOnnx(c.graph, { opset });
    const model = fromBinary(ModelProtoSchema, bytes);
    expect(model.irVersion).toBe(ir);
    expect(model.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', BigInt(opset)]]);
    expectClose((await runInOrt(bytes, c)).y, c.expected.y);
  });
});

describe('toOnnx writes', () => {
  const all = cases();
  const byName = (n: string) => all.find((c) => c.graph.name === n)!.graph;

  test('attribute types from the op table, not from the JS value', () => {
    const model = fromBinary(ModelProtoSchema, toOnnx(byName('gap_flatten_gemm')));
    const gemm = model.graph!.node.find((n) => n.opType === 'Gemm')!;
    const attr = Object.fromEntries(gemm.attribute.map((a) => [a.name, a]));
    expect(attr.alpha).toMatchObject({ type: A.FLOAT, f: 2 });
    expect(attr.beta).toMatchObject({ type: A.FLOAT, f: 1 });
    expect(attr.transB).toMatchObject({ type: A.INT, i: 1n });
    const conv = fromBinary(ModelProtoSchema, toOnnx(byName('conv_bn_relu'))).graph!.node[0];
    const convAttr = Object.fromEntries(conv.attribute.map((a) => [a.name, a]));
    expect(convAttr.pads).toMatchObject({ type: A.INTS, ints: [1n, 1n, 1n, 1n] });
    expect(convAttr.group).toMatchObject({ type: A.INT, i: 2n });
    const resize = fromBinary(ModelProtoSchema, toOnnx(byName('resize_nearest'))).graph!.node[0];
    expect(resize.input).toEqual(['x', '', '', 'sizes']);
    expect(resize.attribute.find((a) => a.name === 'mode')).toMatchObject({
      type: A.STRING,
      s: new TextEncoder().encode('nearest'),
    });
  });

  test('model header, names, static io shapes and raw little-endian tensors', () => {
    const g = byName('matmul_add');
    const model = fromBinary(
      ModelProtoSchema,
      toOnnx(g, { producer: 'mvbench-test', docString: 'doc', metadata: { variant: 'tiny', seed: '7' } }),
    );
    expect(model.producerName).toBe('mvbench-test');
    expect(model.docString).toBe('doc');
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['variant', 'tiny'],
      ['seed', '7'],
    ]);
    const graph = model.graph!;
    expect(graph.name).toBe('matmul_add');
    expect(graph.node.map((n) => [n.name, n.opType, n.domain])).toEqual([
      ['mm', 'MatMul', ''],
      ['add', 'Add', ''],
    ]);
    const dims = (v: (typeof graph.input)[number]) =>
      v.type?.value.case === 'tensorType' ? v.type.value.value.shape!.dim.map((d) => d.value.value) : undefined;
    expect(graph.input.map((v) => [v.name, dims(v)])).toEqual([['x', [2n, 3n, 4n]]]);
    expect(graph.output.map((v) => [v.name, dims(v)])).toEqual([['y', [2n, 3n, 5n]]]);
    const b = graph.initializer.find((t) => t.name === 'b')!;
    expect(b.dataType).toBe(TensorProto_DataType.FLOAT);
    expect(b.floatData).toEqual([]);
    expect([...b.rawData.subarray(0, 4)]).toEqual([0, 0, 0x80, 0x3e]); // 0.25f little endian
    const shape = fromBinary(ModelProtoSchema, toOnnx(byName('reshape_transpose'))).graph!.initializer[0];
    expect(shape.dataType).toBe(TensorProto_DataType.INT64);
    expect(shape.rawData.length).toBe(24);
    expect(new DataView(shape.rawData.slice().buffer).getBigInt64(16, true)).toBe(-1n);
  });

  test('generated initializers are materialised without mutating the graph', () => {
    const g = byName('conv_bn_relu');
    const before = [...g.initializers.values()].map((i) => i.init.kind);
    const a = toOnnx(g);
    expect([...g.initializers.values()].map((i) => i.init.kind)).toEqual(before);
    expect(before).not.toContain('data');
    expect(toOnnx(g)).toEqual(a);
  });
});

describe('toOnnx rejects', () => {
  const g = () => cases().find((c) => c.graph.name === 'gap_flatten_gemm')!.graph;

  test('an attribute the op table does not list, naming op and attribute', () => {
    const graph = g();
    graph.nodes[2] = { ...graph.nodes[2], attrs: { ...graph.nodes[2].attrs, bogus: 1 } };
    expect(() => toOnnx(graph)).toThrow(
      expect.objectContaining({ code: 'INVALID_GRAPH', message: expect.stringMatching(/Gemm node 'fc'.*'bogus'/) }),
    );
  });

  test('an attribute value of the wrong type', () => {
    const graph = g();
    graph.nodes[2] = { ...graph.nodes[2], attrs: { transB: 1.5 } };
    expect(() => toOnnx(graph)).toThrow(
      expect.objectContaining({
        code: 'INVALID_GRAPH',
        message: expect.stringContaining("'transB' must be of type int"),
      }),
    );
  });

  test('an opset outside the supported range or too old for an op', () => {
    expect(() => toOnnx(g(), { opset: 9 })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    const ln = cases().find((c) => c.graph.name === 'layer_norm')!.graph;
    expect(() => toOnnx(ln, { opset: 13 })).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining("LayerNormalization node 'ln'"),
      }),
    );
  });

  test('an op that is not in the table', () => {
    const graph = g();
    graph.nodes[0] = { ...graph.nodes[0], op: 'Squeeze' as 'Relu' };
    expect(() => toOnnx(graph)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OP', message: expect.stringContaining('Squeeze') }),
    );
  });
});
