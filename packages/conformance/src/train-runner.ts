/**
 * Training's forward pass behind the runner surface, so the conformance suite checks it against the same references
 * as the inference runners: @mvbench/train's executor in eval mode (its variables, its differentiable convolutions
 * and products, BatchNorm from running statistics), on the graph read back from the artifact's ONNX bytes. Float
 * initializers of more than one value become trainable params (BatchNormalization's statistics buffers), as in a
 * built model; single values (Clip bounds, Pow exponents, GroupNorm's constant affine) stay constants, as the DSL
 * writes them.
 */
import { OP_NAMES, type Graph, type Initializer } from '@mvbench/ir';
import { fromOnnx } from '@mvbench/onnx';
import type { Outputs, Prepared, Runner } from '@mvbench/runner-core';
import { createExecutor, type Device, type Executor } from '@mvbench/train';

interface TrainPrepared extends Prepared {
  executor: Executor;
}

function trainable(graph: Graph): Graph {
  const buffers = new Set(graph.nodes.flatMap((n) => (n.op === 'BatchNormalization' ? n.inputs.slice(3) : [])));
  const role = (i: Initializer): Initializer['role'] => {
    if (i.dtype !== 'float32' || i.dims.reduce((a, b) => a * b, 1) <= 1) return 'const';
    return buffers.has(i.name) ? 'buffer' : 'param';
  };
  return { ...graph, initializers: new Map([...graph.initializers].map(([name, i]) => [name, { ...i, role: role(i) }])) };
}

export function createTrainingRunner(device: Device): Runner<TrainPrepared> {
  const id = `train:${device}`;
  const live = new Set<TrainPrepared>();
  return {
    id,
    versions: {},
    supports(model) {
      const unsupportedOps = model.ops.filter((op) => !(OP_NAMES as readonly string[]).includes(op));
      if (!unsupportedOps.length) return { ok: true };
      return { ok: false, reason: `${id} has no implementation of ${unsupportedOps.join(', ')}`, unsupportedOps };
    },
    async prepare(model) {
      const graph = trainable(fromOnnx(model.onnx, { name: model.id }));
      const executor = await createExecutor(graph, { device, capture: graph.outputs.slice(1).map((o) => o.name) });
      const p = { executor, settingsUsed: { threads: 1, params: executor.params.size, buffers: executor.buffers.size } };
      live.add(p);
      return p;
    },
    async run({ executor }, feeds) {
      const { tf, graph } = executor;
      await executor.activate();
      const ys = tf.tidy(() => {
        const { logits, captured } = executor.forward(graph.inputs.map((v) => tf.tensor(feeds[v.name], [...v.shape])), { training: false });
        return [logits, ...captured];
      });
      const out: Outputs = {};
      graph.outputs.forEach((o, i) => (out[o.name] = { data: ys[i].dataSync() as Float32Array, shape: [...ys[i].shape] }));
      ys.forEach((y) => y.dispose());
      return out;
    },
    async dispose(prepared) {
      for (const p of prepared ? [prepared] : [...live]) live.delete(p) && p.executor.dispose();
    },
  };
}
