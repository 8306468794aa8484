/**
 * IR graph -> a trainable tfjs program: the one tfjs engine (@mvbench/tfjs-engine: op table and compile loop, shared
 * with the tfjs runners) with param initializers bound to trainable tf.Variables, buffers (BatchNorm running
 * statistics) to non-trainable ones, and the hand-written gradients of custom-grads.ts for convolutions, matrix
 * products and training-mode BatchNorm. forward() runs inside whatever gradient scope the caller opened
 * (tf.variableGrads); in eval mode it frees each intermediate after its last reader.
 */
import { materialize, type Graph } from '@mvbench/ir';
import { compile, release, run, type RunCtx } from '@mvbench/tfjs-engine';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { gradients } from './custom-grads.ts';
import { useDevice, type Device, type TF } from './tf.ts';

export type { RunCtx };

export interface ExecutorOptions {
  device?: Device;
  /** seed of the parameter initialisation (default: the graph's) */
  seed?: number;
  /** 'native': tfjs' own conv ops and autodiff, the reference on the cpu backend */
  conv?: 'fast' | 'native';
  /** values returned by forward() beside the graph outputs, in the ONNX layout */
  capture?: readonly string[];
}

export interface Executor {
  readonly graph: Graph;
  readonly tf: TF;
  readonly device: Device;
  /** initializers with role 'param', in the ONNX shapes */
  readonly params: Map<string, Variable>;
  /** initializers with role 'buffer' (BatchNorm running statistics) */
  readonly buffers: Map<string, Variable>;
  /** makes the executor's backend the active one */
  activate(): Promise<void>;
  /** input NCHW [B, 3, R, R] (or one tensor per graph input) -> the graph's first output, and the captured values */
  forward(input: Tensor | Tensor[], rc: RunCtx): { logits: Tensor; captured: Tensor[] };
  /** loss() and the gradient of every param (by initializer name), for the caller to dispose */
  gradients(loss: () => Scalar): { loss: Scalar; grads: Map<string, Tensor> };
  /** current params and buffers by initializer name */
  weights(): Map<string, Float32Array>;
  dispose(): void;
}

export async function createExecutor(graph: Graph, opts: ExecutorOptions = {}): Promise<Executor> {
  const device = opts.device ?? 'wasm';
  const tf = await useDevice(device);
  const seed = opts.seed ?? graph.seed;
  const params = new Map<string, Variable>(), buffers = new Map<string, Variable>();
  const names = new Map<string, string>();
  for (const init of graph.initializers.values()) {
    if (init.role === 'const') continue;
    const v = tf.variable(tf.tensor(materialize(init, seed) as Float32Array, [...init.dims]), init.role === 'param'); // tfjs names must be unique per process
    names.set(v.name, init.name);
    (init.role === 'param' ? params : buffers).set(init.name, v);
  }
  const program = compile(tf, graph, {
    where: graph.name,
    fuse: true,
    seed,
    variables: new Map([...params, ...buffers]),
    grads: gradients(tf, opts.conv ?? 'fast'),
    capture: opts.capture,
  });
  const outputs = graph.outputs.length;

  return {
    graph,
    tf,
    device,
    params,
    buffers,
    activate: async () => void (await useDevice(device)),
    forward(x, rc) {
      const ys = run(tf, program, Array.isArray(x) ? x : [x], rc);
      return { logits: ys[0], captured: ys.slice(outputs) };
    },
    gradients(loss) {
      const { value, grads } = tf.variableGrads(loss, [...params.values()]);
      return { loss: value, grads: new Map(Object.entries(grads).map(([k, g]) => [names.get(k)!, g])) };
    },
    weights: () => new Map([...params, ...buffers].map(([name, v]) => [name, v.dataSync() as Float32Array])),
    dispose() {
      release(program);
      for (const v of [...params.values(), ...buffers.values()]) v.dispose();
    },
  };
}
