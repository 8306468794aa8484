/**
 * TensorFlow.js behind the four-method runner surface: `tfjs:wasm`, `tfjs:cpu` and `tfjs:node`. The runner executes
 * the IR itself: prepare parses the ONNX bytes (fromOnnx) and compiles the graph into tfjs calls (@mvbench/tfjs-engine), with
 * the weights uploaded once; run feeds the inputs and reads the outputs back as float32.
 */
import { MvbenchError, userError } from '@mvbench/core';
import { numel } from '@mvbench/ir';
import { fromOnnx } from '@mvbench/onnx';
import { checkThreads, type Feeds, type ModelArtifact, type Outputs, type Prepared, type Runner, type Support } from '@mvbench/runner-core';
import { backendFor, versions, type TF, type TfjsDevice } from './backends.ts';
import { tfjsNodeMissing } from './node-install.ts';
import { compile, OP_TABLE, release, run, type Program } from '@mvbench/tfjs-engine';

export interface TfjsPrepared extends Prepared {
  readonly model: ModelArtifact;
  readonly tf: TF;
  readonly program: Program;
  readonly activate: () => Promise<void>;
}

const TFJS_DEVICES: readonly TfjsDevice[] = ['wasm', 'cpu', 'node'];

export function createTfjsRunner(device: TfjsDevice): Runner<TfjsPrepared> {
  if (!TFJS_DEVICES.includes(device))
    throw userError('UNKNOWN_RUNNER', `unknown tfjs device '${device}'; tfjs runners: ${TFJS_DEVICES.join(', ')}`);
  const id = `tfjs:${device}`;
  const live = new Set<TfjsPrepared>();
  const free = (p: TfjsPrepared) => live.delete(p) && release(p.program);
  const supports = (model: ModelArtifact): Support => {
    const missing = device === 'node' ? tfjsNodeMissing() : undefined;
    if (missing) return { ok: false, reason: missing, unsupportedOps: [], unavailable: true };
    const unsupportedOps = model.ops.filter((op) => !(op in OP_TABLE));
    if (!unsupportedOps.length) return { ok: true };
    return { ok: false, reason: `${id} has no implementation of ${unsupportedOps.join(', ')}`, unsupportedOps };
  };

  return {
    id,
    versions: versions(device),

    supports,

    async prepare(model, settings) {
      const { threads, graphOptimization = 'all' } = settings;
      checkThreads(id, threads);
      const where = `${id}, model '${model.id}'`;
      const support = supports(model);
      if (!support.ok) throw userError(support.unavailable ? 'RUNNER_UNAVAILABLE' : 'UNSUPPORTED_OP', `${where}: ${support.reason}`);
      try {
        const { tf, activate, settings } = await backendFor(device, threads);
        await activate();
        const used = await settings();
        const graph = fromOnnx(model.onnx, { name: model.id });
        const fuse = graphOptimization !== 'disabled';
        const program = compile(tf, graph, { where, fuse });
        const settingsUsed = { ...used, threadsAsked: threads, backend: tf.getBackend(), layout: 'nhwc', fusion: fuse, ...program.stats };
        const prepared: TfjsPrepared = { model, tf, program, activate, settingsUsed };
        live.add(prepared);
        return prepared;
      } catch (e) {
        throw failed(where, 'prepare', e);
      }
    },

    async run(p, feeds) {
      if (!live.has(p)) throw new MvbenchError('RUNNER_FAILED', `${id}: model '${p.model.id}' was disposed`);
      const where = `${id}, model '${p.model.id}'`;
      try {
        const xs = p.program.inputs.map((io) => {
          const x = feeds[io.name];
          if (!x) throw new Error(`no feed for input '${io.name}'`);
          if (x.length !== numel(io.shape))
            throw new Error(`input '${io.name}' needs ${numel(io.shape)} values for shape [${io.shape}], got ${x.length}`);
          return x;
        });
        await p.activate();
        const ys = p.tf.tidy(() => run(p.tf, p.program, p.program.inputs.map((io, i) => p.tf.tensor(xs[i], io.shape, 'float32')), { training: false }));
        const outputs: Outputs = {};
        try {
          for (const [i, io] of p.program.outputs.entries())
            outputs[io.name] = { data: (await ys[i].data()) as Float32Array, shape: [...ys[i].shape] };
        } finally {
          for (const y of ys) y.dispose();
        }
        return outputs;
      } catch (e) {
        throw failed(where, 'run', e, feeds);
      }
    },

    async dispose(prepared) {
      for (const p of prepared ? [prepared] : [...live]) free(p);
    },
  };
}

/** wraps an error once, naming runner and model; keeps a typed error's code and drops stacks from the message */
function failed(where: string, action: string, e: unknown, feeds?: Feeds): MvbenchError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof MvbenchError) return message.includes(where) ? e : new MvbenchError(e.code, `${where}: ${message}`, e.user);
  const fed = feeds ? ` (fed ${Object.entries(feeds).map(([k, v]) => `${k}: ${v.length} values`).join(', ') || 'nothing'})` : '';
  return new MvbenchError('RUNNER_FAILED', `${where} could not ${action}${fed}: ${message}`);
}
