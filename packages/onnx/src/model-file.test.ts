import { fromBinary, toBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { toOnnx } from './emit.ts';
import { ModelProtoSchema } from './gen/onnx_pb.ts';
import { readOnnxModelFile } from './model-file.ts';
import { readOnnxSummary } from './summary.ts';
import { cases } from './test-graphs.ts';

const conv = cases()[0]; // conv_bn_relu: x [1, 4, 6, 6]
const staticBytes = toOnnx(conv.graph);
const dynamicBytes = toOnnx(conv.graph, { dynamicAxes: { x: { 0: 'batch', 2: 'height' }, y: { 0: 'batch', 2: 'h' } } });

describe('readOnnxModelFile', () => {
  it('a static model: its inputs, outputs, ops, params and MACs, the bytes unchanged', () => {
    const m = readOnnxModelFile(staticBytes, 'c.onnx');
    expect(m.inputs).toEqual([{ name: 'x', shape: [1, 4, 6, 6] }]);
    expect(m.outputs).toEqual(conv.graph.outputs.map((o) => o.name));
    expect(m.ops).toEqual([...new Set(conv.graph.nodes.map((n) => n.op))]);
    expect(m).toMatchObject({ opset: 17, producer: 'mvbench' });
    expect(m.importError).toBeUndefined();
    expect(m.params).toBeGreaterThan(0);
    expect(m.macs).toBeGreaterThan(0);
    expect(m.bytes).toBe(staticBytes);
  });

  it('dynamic dimensions: exit-2 errors naming the input and a shape to give; with the shape, pinned bytes onnxruntime runs', async () => {
    expect(readOnnxSummary(dynamicBytes).inputs[0].shape).toEqual(['batch', 4, 'height', 6]);
    expect(() => readOnnxModelFile(dynamicBytes, 'd.onnx')).toThrow(/d\.onnx: input 'x' has dynamic dimensions \(batchx4xheightx6\).*e\.g\. 1x4x1x6/);
    expect(() => readOnnxModelFile(dynamicBytes, 'd.onnx', [{ dims: [1, 4, 6] }])).toThrow(/has 4 dimensions/);
    expect(() => readOnnxModelFile(dynamicBytes, 'd.onnx', [{ dims: [1, 3, 6, 6] }])).toThrow(/dimension 1 is fixed at 4/);
    expect(() => readOnnxModelFile(dynamicBytes, 'd.onnx', [{ name: 'y', dims: [1, 4, 6, 6] }])).toThrow(/has no input 'y'; its inputs: x/);
    const m = readOnnxModelFile(dynamicBytes, 'd.onnx', [{ dims: [2, 4, 6, 6] }]);
    expect(m.inputs).toEqual([{ name: 'x', shape: [2, 4, 6, 6] }]);
    expect(readOnnxSummary(m.bytes).inputs[0].shape).toEqual([2, 4, 6, 6]);
    expect(m.macs).toBe(2 * readOnnxModelFile(staticBytes, 'c.onnx').macs!);
    const session = await ort.InferenceSession.create(m.bytes);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(2 * 4 * 36), [2, 4, 6, 6]) });
    expect(out[m.outputs[0]].dims[0]).toBe(2);
    await session.release();
  });

  it('not ONNX, non-float inputs: user errors; ops the IR importer lacks: no MACs and why', () => {
    expect(() => readOnnxModelFile(new TextEncoder().encode('not a model'), 'x.onnx')).toThrow(/x\.onnx is not a valid ONNX model/);
    const model = fromBinary(ModelProtoSchema, staticBytes);
    model.graph!.node[0].opType = 'Frobnicate';
    const custom = readOnnxModelFile(toBinary(ModelProtoSchema, model), 'f.onnx');
    expect(custom.macs).toBeNull();
    expect(custom.importError).toMatch(/Frobnicate x1/);
    const t = model.graph!.input[0].type!.value;
    if (t.case === 'tensorType') t.value.elemType = 7; // INT64
    expect(() => readOnnxModelFile(toBinary(ModelProtoSchema, model), 'i.onnx')).toThrow(/input 'x' is INT64; mvbench feeds seeded float32 inputs only/);
  });
});
