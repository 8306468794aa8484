/**
 * What a model costs, as kernel classes of the graph the runners run (the emitted, inference-optimised graph):
 * per class the work (MACs for convolutions and matrix products, elements for the rest), the bytes those kernels
 * write, and how many kernels there are. A predictor is linear in these, so its prediction is a sum over kernels
 * of (cost per MAC or element) + (cost per kernel launch): the kernel-level additive model of nn-Meter, fitted on
 * whole-model latencies so that it needs nothing from a runtime but its end-to-end time.
 */
import { buildModel, type ModelSpec } from '@mvbench/dsl';
import { numel, opDef, type Graph, type Node } from '@mvbench/ir';
import { optimize } from '@mvbench/optimize';

export const FEATURES = [
  'conv_dense_macs', // group 1, kernel > 1 (stems, 3x3 convolutions)
  'conv_pointwise_macs', // group 1, 1x1
  'conv_depthwise_macs', // grouped
  'linear_macs', // MatMul/Gemm with a weight
  'attention_macs', // MatMul of two activations (q·k^T, attn·v)
  'conv_out', // elements written by convolutions
  'linear_out', // elements written by matrix products
  'softmax', // elements
  'norm', // elements normalised (LayerNorm, InstanceNorm, BatchNorm)
  'unary', // elements through activations and other one-input maps
  'binary', // elements written by Add/Mul/Sub/Div/Pow
  'reduce', // elements read by reductions and pooling
  'layout', // elements moved by Transpose/Concat/Split/Resize
  'conv_kernels',
  'matmul_kernels',
  'other_kernels', // every other node that computes (reshapes are free)
] as const;
export type FeatureName = (typeof FEATURES)[number];
export type Features = Record<FeatureName, number>;

const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow']);
const NORM = new Set(['LayerNormalization', 'InstanceNormalization', 'BatchNormalization']);
const REDUCE = new Set(['ReduceSum', 'ReduceMean', 'ReduceL2', 'GlobalAveragePool']);
const LAYOUT = new Set(['Transpose', 'Concat', 'Split', 'Resize']);
const FREE = new Set(['Reshape', 'Flatten']);

/** the graph a runner runs for a spec: built, then optimised as `mvbench emit` does (no weights computed) */
const runGraphOf = (spec: ModelSpec): Graph => optimize(buildModel(spec).graph, { values: false });

export function featuresOf(graph: Graph): Features {
  const f = Object.fromEntries(FEATURES.map((k) => [k, 0])) as Features;
  const shape = (name: string) => graph.values.get(name)!.shape;
  const out = (n: Node) => numel(shape(n.outputs[0]));
  for (const n of graph.nodes) {
    const macs = opDef(n.op).macs?.(n.inputs.filter(Boolean).map(shape), n.outputs.map(shape), n.attrs) ?? 0;
    if (n.op === 'Conv') {
      const group = (n.attrs.group as number | undefined) ?? 1;
      const k = numel((n.attrs.kernel_shape as number[] | undefined) ?? shape(n.inputs[1]).slice(2));
      f[group > 1 ? 'conv_depthwise_macs' : k > 1 ? 'conv_dense_macs' : 'conv_pointwise_macs'] += macs;
      f.conv_out += out(n);
      f.conv_kernels++;
    } else if (n.op === 'MatMul' || n.op === 'Gemm') {
      f[graph.initializers.has(n.inputs[1]) ? 'linear_macs' : 'attention_macs'] += macs;
      f.linear_out += out(n);
      f.matmul_kernels++;
    } else if (!FREE.has(n.op)) {
      if (n.op === 'Softmax') f.softmax += out(n);
      else if (NORM.has(n.op)) f.norm += out(n);
      else if (BINARY.has(n.op)) f.binary += out(n);
      else if (REDUCE.has(n.op)) f.reduce += numel(shape(n.inputs[0]));
      else if (LAYOUT.has(n.op)) f.layout += n.outputs.reduce((a, o) => a + numel(shape(o)), 0);
      else f.unary += out(n); // Relu, Sigmoid, Erf, Clip, ...: and any op added later, until it gets a class
      f.other_kernels++;
    }
  }
  return f;
}

export const specFeatures = (spec: ModelSpec): Features => featuresOf(runGraphOf(spec));
