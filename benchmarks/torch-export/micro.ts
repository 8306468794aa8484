/**
 * Micro-benchmarks behind the choices in packages/optimize: alternative forms of one pattern, each a tiny graph,
 * timed interleaved on onnxruntime-node with the same options (1 thread, level 'all' unless given).
 *
 *   pnpm tsx benchmarks/torch-export/micro.ts [--threads 1] [--level all] [--rounds 300] [--cases 'GroupNorm(1),unfold']
 */
import { parseArgs } from 'node:util';
import { GraphBuilder, rearrange, type Value } from '@mvbench/dsl';
import { toOnnx } from '@mvbench/onnx';
import { summarize } from '@mvbench/runner-core';
import { interleaved, type Arm, type Level } from './interleave.ts';
import { num } from '../args.ts';

const { values: a } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' }, level: { type: 'string', default: 'all' }, rounds: { type: 'string', default: '300' },
    cases: { type: 'string' },
  },
});

type Form = (b: GraphBuilder & { graphInput: Value }, x: Value) => Value | Value[];

function arm(label: string, shape: number[], form: Form): Arm {
  const b = Object.assign(new GraphBuilder(label), { graphInput: undefined as unknown as Value });
  b.graphInput = b.input('input', shape);
  [form(b, b.graphInput)].flat().forEach((v, i) => b.output(v, `out${i}`));
  const g = b.finish();
  const t = (v: { name: string; shape: readonly number[] }) => ({ name: v.name, shape: [...v.shape], dtype: 'float32' as const });
  return { label, artifact: { id: label, onnx: toOnnx(g), inputs: g.inputs.map(t), outputs: g.outputs.map(t), ops: [] }, samples: [] };
}

const perChannel = (b: GraphBuilder, c: number, v: number, rank: number) => b.floats(Array.from({ length: c }, (_, i) => v + i / c), [c, ...Array(rank - 2).fill(1)]);

/** MobileViTv2's GroupNorm(1) on [1, C, P, N]: torch's form, without the affine (folded), as LayerNormalization */
const groupNorm: Record<string, Form> = {
  'torch: Reshape, InstanceNorm, Reshape, Mul, Add': (b, x) => {
    const n = b.op.InstanceNormalization([b.op.Reshape([x, b.ints([1, 1, -1])]), b.floats([1], [1]), b.floats([0], [1])], { epsilon: 1e-5 });
    const y = b.op.Reshape([n, b.ints(x.shape)]);
    return b.op.Add([b.op.Mul([y, perChannel(b, x.shape[1], 1, 4)]), perChannel(b, x.shape[1], 0, 4)]);
  },
  'Reshape, InstanceNorm, Reshape (affine folded)': (b, x) => {
    const n = b.op.InstanceNormalization([b.op.Reshape([x, b.ints([1, 1, -1])]), b.floats([1], [1]), b.floats([0], [1])], { epsilon: 1e-5 });
    return b.op.Reshape([n, b.ints(x.shape)]);
  },
  'LayerNorm axis 1, scale [1] (affine folded)': (b, x) => b.op.LayerNormalization([x, b.floats([1], [1]), b.floats([0], [1])], { axis: 1, epsilon: 1e-5 }),
  'LayerNorm axis 1, scale [C,1,1]': (b, x) =>
    b.op.LayerNormalization([x, perChannel(b, x.shape[1], 1, 4), perChannel(b, x.shape[1], 0, 4)], { axis: 1, epsilon: 1e-5 }),
};

/** MobileViT's unfold [1, C, H, W] -> [P, N, C] (patch 2): one 6-D transpose, or torch's two 4-D ones */
const unfold: Record<string, Form> = {
  'one 6-D Transpose': (b, x) => rearrange(b, x, 'b d (nh ph) (nw pw) -> (b ph pw) (nh nw) d', { ph: 2, pw: 2 }),
  'unit axis dropped (5-D)': (b, x) => {
    const [, c, h, w] = x.shape;
    const t = b.op.Transpose([b.op.Reshape([x, b.ints([c, h / 2, 2, w / 2, 2])])], { perm: [2, 4, 1, 3, 0] });
    return b.op.Reshape([t, b.ints([4, (h * w) / 4, c])]);
  },
  'channels last first (single-axis move), then a block transpose': (b, x) => {
    const [, c, h, w] = x.shape;
    const nhwc = b.op.Transpose([x], { perm: [0, 2, 3, 1] });
    const t = b.op.Transpose([b.op.Reshape([nhwc, b.ints([h / 2, 2, w / 2, 2, c])])], { perm: [1, 3, 0, 2, 4] });
    return b.op.Reshape([t, b.ints([4, (h * w) / 4, c])]);
  },
  'torch: two 4-D Transposes': (b, x) => {
    const [, c, h, w] = x.shape;
    const t1 = b.op.Transpose([b.op.Reshape([x, b.ints([c * (h / 2), 2, w / 2, 2])])], { perm: [0, 2, 1, 3] });
    const t2 = b.op.Transpose([b.op.Reshape([t1, b.ints([1, c, (h * w) / 4, 4])])], { perm: [0, 3, 2, 1] });
    return b.op.Reshape([t2, b.ints([4, (h * w) / 4, c])]);
  },
};

/** MobileViT's fold [P, N, C] -> [1, C, H, W] (patch 2), the input given as [P, N, C] */
const fold: Record<string, Form> = {
  'one 6-D Transpose': (b, x) => rearrange(b, x, '(b ph pw) (nh nw) d -> b d (nh ph) (nw pw)', { b: 1, ph: 2, pw: 2, nh: Math.sqrt(x.shape[1]) }),
  'block transpose, then channels first (single-axis move)': (b, x) => {
    const [, n, c] = x.shape;
    const h = 2 * Math.sqrt(n);
    const t = b.op.Transpose([b.op.Reshape([x, b.ints([2, 2, h / 2, h / 2, c])])], { perm: [2, 0, 3, 1, 4] });
    return b.op.Transpose([b.op.Reshape([t, b.ints([1, h, h, c])])], { perm: [0, 3, 1, 2] });
  },
};

/** MobileViTv2's unfold [1, C, H, W] -> [1, C, P, N] (patch 2) */
const unfoldV2: Record<string, Form> = {
  'one 6-D Transpose': (b, x) => rearrange(b, x, 'b d (nh ph) (nw pw) -> b d (ph pw) (nh nw)', { ph: 2, pw: 2 }),
  'swap the two innermost, then a block transpose': (b, x) => {
    const [, c, h, w] = x.shape;
    const s = b.op.Transpose([b.op.Reshape([x, b.ints([c, h / 2, 2, w / 2, 2])])], { perm: [0, 1, 2, 4, 3] });
    const t = b.op.Transpose([s], { perm: [0, 2, 3, 1, 4] });
    return b.op.Reshape([t, b.ints([1, c, 4, (h * w) / 4])]);
  },
  'channels last, block transpose, channels first': (b, x) => {
    const [, c, h, w] = x.shape;
    const nhwc = b.op.Transpose([x], { perm: [0, 2, 3, 1] });
    const t = b.op.Transpose([b.op.Reshape([nhwc, b.ints([h / 2, 2, w / 2, 2, c])])], { perm: [1, 3, 0, 2, 4] });
    return b.op.Transpose([b.op.Reshape([t, b.ints([1, 4, (h * w) / 4, c])])], { perm: [0, 3, 1, 2] });
  },
};

/** MobileViT's attention inputs from tokens [T, N, C]: q, k^T, v per head */
const qkv: Record<string, Form> = {
  'one Linear, 5-D Transpose, Split': (b, x) => {
    const [t, n, c] = x.shape;
    const y = b.op.Add([b.op.MatMul([x, b.floats(Array(c * 3 * c).fill(0.01), [c, 3 * c])]), b.floats(Array(3 * c).fill(0.1), [3 * c])]);
    const s = rearrange(b, y, 't n (three h e) -> three t h n e', { three: 3, h: 4 });
    const [q, k, v] = b.node('Split', [s, b.ints([1, 1, 1])], { axis: 0 }, 3);
    const sq = (z: Value) => b.op.Reshape([z, b.ints([t, 4, n, c / 4])]);
    return [sq(q), rearrange(b, k, 'one t h n e -> (one t) h e n'), sq(v)];
  },
  'three Linears, 4-D Transposes': (b, x) => {
    const [, , c] = x.shape;
    const lin = () => b.op.Add([b.op.MatMul([x, b.floats(Array(c * c).fill(0.01), [c, c])]), b.floats(Array(c).fill(0.1), [c])]);
    return [rearrange(b, lin(), 't n (h e) -> t h n e', { h: 4 }), rearrange(b, lin(), 't n (h e) -> t h e n', { h: 4 }), rearrange(b, lin(), 't n (h e) -> t h n e', { h: 4 })];
  },
};

/** single transposes of 64K values: which forms onnxruntime's kernel runs fast */
const single = (shape: number[], perm: number[]): Form => (b) => b.op.Transpose([b.op.Reshape([b.graphInput, b.ints(shape)])], { perm });
const transposes: Record<string, Form> = {
  'copy (Reshape only)': (b, x) => b.op.Reshape([x, b.ints([65536])]),
  '5-D, innermost kept [4,256,1,4,16] (2,0,3,1,4)': single([4, 256, 1, 4, 16], [2, 0, 3, 1, 4]),
  '4-D, innermost kept [4,256,4,16] (0,2,1,3)': single([4, 256, 4, 16], [0, 2, 1, 3]),
  '5-D [4,256,1,4,16] (2,0,3,4,1)': single([4, 256, 1, 4, 16], [2, 0, 3, 4, 1]),
  '3-D single axis [4,256,64] (0,2,1)': single([4, 256, 64], [0, 2, 1]),
  'NCHW -> NHWC [1,64,32,32]': single([1, 64, 32, 32], [0, 2, 3, 1]),
  '2-D [64,1024]': single([64, 1024], [1, 0]),
  'NHWC -> NCHW [1,32,32,64]': single([1, 32, 32, 64], [0, 3, 1, 2]),
  'block 5-D [16,2,16,2,64] (1,3,0,2,4)': single([16, 2, 16, 2, 64], [1, 3, 0, 2, 4]),
  'general 6-D unfold [1,64,16,2,16,2]': single([1, 64, 16, 2, 16, 2], [0, 3, 5, 2, 4, 1]),
};

const CASES: Record<string, { shapes: number[][]; forms: Record<string, Form> }> = {
  transposes: { shapes: [[65536]], forms: transposes },
  'GroupNorm(1)': { shapes: [[1, 64, 4, 256], [1, 128, 4, 16]], forms: groupNorm },
  unfold: { shapes: [[1, 64, 32, 32], [1, 96, 8, 8]], forms: unfold },
  fold: { shapes: [[4, 256, 64], [4, 16, 96]], forms: fold },
  'unfold v2': { shapes: [[1, 64, 32, 32], [1, 128, 8, 8]], forms: unfoldV2 },
  'MHSA q, k^T, v': { shapes: [[4, 256, 64], [4, 16, 96]], forms: qkv },
};

for (const [name, c] of Object.entries(CASES).filter(([n]) => !a.cases || a.cases.split(',').includes(n)))
  for (const shape of c.shapes) {
    const arms = Object.entries(c.forms).map(([label, form]) => arm(label, shape, form));
    await interleaved(arms, num(a, 'threads'), a.level as Level, num(a, 'rounds'));
    const base = summarize(arms[0].samples).median;
    console.log(`\n${name} on [${shape}] (${a.threads} thread(s), level ${a.level}), median us and ratio to the first:`);
    for (const x of arms) {
      const m = summarize(x.samples).median;
      console.log(`  ${(m * 1000).toFixed(1).padStart(8)}  ${(m / base).toFixed(3)}  ${x.label}`);
    }
  }
