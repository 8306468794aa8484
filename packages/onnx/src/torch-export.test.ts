/** The torch exports in ../shared/reference: our schema reads real ONNX files (see reference/README.md). */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { readFileSync } from 'node:fs';
import { referenceFile } from '@mvbench/fixtures';
import { describe, expect, test } from 'vitest';
import { ModelProtoSchema } from './gen/onnx_pb.ts';
import { fromOnnx } from './parse.ts';
import { readOnnxSummary } from './summary.ts';

const readExport = (model: string): Uint8Array => readFileSync(referenceFile(`torch-export/${model}.onnx`));

// reference/README.md, "Op histograms" and the model table
const EXPORTS = {
  mobilevit_xxs: {
    opset: 17,
    irVersion: 8,
    nodes: 479,
    compute: 370,
    input: [1, 3, 256, 256],
    ops: 'Constant 81, Add 57, MatMul 54, Mul 43, Transpose 39, Reshape 36, Conv 35, Sigmoid 34, Identity 28, Squeeze 27, LayerNormalization 21, Softmax 9, Split 9, Concat 3, Flatten 1, Gemm 1, GlobalAveragePool 1',
    unsupported: 'Squeeze x27',
  },
  mobilevitv2_050: {
    opset: 13,
    irVersion: 7,
    nodes: 459,
    compute: 352,
    input: [1, 3, 256, 256],
    ops: 'Constant 79, Conv 64, Mul 64, Reshape 54, Add 40, Shape 30, Identity 28, Sigmoid 25, InstanceNormalization 21, Expand 9, ReduceSum 9, Relu 9, Softmax 9, Split 9, Transpose 6, Flatten 1, Gemm 1, GlobalAveragePool 1',
    unsupported: 'Shape x30, Expand x9',
  },
  swiftformer_xs: {
    opset: 13,
    irVersion: 7,
    nodes: 544,
    compute: 385,
    input: [1, 3, 224, 224],
    ops: 'Constant 110, Mul 80, Add 65, Conv 61, Identity 49, Div 33, Erf 20, MatMul 20, Reshape 17, Expand 16, Shape 13, Clip 12, ReduceL2 12, Transpose 8, BatchNormalization 5, ConstantOfShape 4, Equal 4, ReduceSum 4, Where 4, Gemm 2, Relu 2, Concat 1, ReduceMean 1, Slice 1',
    unsupported: 'Expand x16, Shape x13, ConstantOfShape x4, Equal x4, Where x4, Slice x1',
  },
};

const histogram = (text: string) => text.split(', ').map((e) => [e.split(' ')[0], Number(e.split(' ')[1])]);

describe.each(Object.entries(EXPORTS))('torch export %s', (model, exp) => {
  test('readOnnxSummary gives the opset, node counts and op histogram of reference/README.md', () => {
    const s = readOnnxSummary(readExport(model));
    expect(s).toMatchObject({ opset: exp.opset, irVersion: exp.irVersion, producer: 'pytorch', nodeCount: exp.nodes });
    expect(s.computeNodeCount).toBe(exp.compute);
    // same order too: the README lists ops by count, then by name
    expect(Object.entries(s.opHistogram)).toEqual(histogram(exp.ops));
    expect(s.inputs).toEqual([{ name: 'input', elemType: 'FLOAT', shape: exp.input }]);
    expect(s.outputs).toEqual([{ name: 'logits', elemType: 'FLOAT', shape: [1, 1000] }]);
  });

  test('decodes and re-encodes byte for byte with the generated schema', () => {
    const bytes = readExport(model);
    expect(Buffer.from(toBinary(ModelProtoSchema, fromBinary(ModelProtoSchema, bytes))).equals(bytes)).toBe(true);
  });

  test('fromOnnx names exactly the ops the IR op table lacks', () => {
    let error: { code?: string; message: string } | undefined;
    try {
      fromOnnx(readExport(model));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.code).toBe('UNSUPPORTED_OP');
    const listed = /does not have: (.*) \(\d+ of \d+ nodes\)/.exec(error!.message)?.[1];
    expect(listed).toBe(exp.unsupported);
  });
});
