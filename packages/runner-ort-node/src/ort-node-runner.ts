/**
 * onnxruntime-node on the CPU execution provider, behind the four-method runner surface.
 * Session options are the ones that matter for benchmarks (../shared/ENVIRONMENT.md, Runtimes): one inter-op
 * thread, sequential execution, spinning intra-op threads, CPU memory arena on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { MvbenchError } from '@mvbench/core';
import { checkThreads, type Feeds, type ModelArtifact, type Outputs, type Prepared, type Runner } from '@mvbench/runner-core';
import { ORT_NODE_CPU } from './descriptors.ts';
import { endProfile } from './profile.ts';

export interface OrtPrepared extends Prepared {
  readonly model: ModelArtifact;
  readonly session: ort.InferenceSession;
  /** Directory the profile is written to while profiling is on; cleared by endProfile/dispose. */
  profileDir?: string;
}

export function createOrtNodeRunner(): Runner<OrtPrepared> {
  const live = new Set<OrtPrepared>();
  const release = async (p: OrtPrepared) => {
    if (!live.delete(p)) return; // already released: ORT throws on a second release
    await p.session.release();
    if (p.profileDir) rmSync(p.profileDir, { recursive: true, force: true });
    p.profileDir = undefined;
  };

  return {
    id: ORT_NODE_CPU,
    versions: { 'onnxruntime-node': ort.env.versions.node ?? 'unknown', 'onnxruntime-common': ort.env.versions.common },
    // The CPU execution provider implements every standard ONNX op.
    supports: () => ({ ok: true }),

    async prepare(model, settings) {
      const { threads, graphOptimization = 'all', profile = false } = settings;
      checkThreads(ORT_NODE_CPU, threads);
      const profileDir = profile ? mkdtempSync(path.join(os.tmpdir(), 'mvbench-ort-profile-')) : undefined;
      const settingsUsed = {
        threads,
        interOpThreads: 1,
        executionMode: 'sequential',
        graphOptimization,
        allowSpinning: true,
        cpuMemArena: true,
        profile,
      } as const;
      try {
        const session = await ort.InferenceSession.create(model.onnx, {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: graphOptimization,
          enableCpuMemArena: true,
          extra: { session: { intra_op: { allow_spinning: '1' } } },
          enableProfiling: profile,
          ...(profileDir && { profileFilePrefix: path.join(profileDir, 'ort') }),
        });
        const prepared: OrtPrepared = { model, session, settingsUsed, profileDir };
        live.add(prepared);
        return prepared;
      } catch (e) {
        if (profileDir) rmSync(profileDir, { recursive: true, force: true });
        throw failed(model, 'load', `${threads} thread(s), optimization '${graphOptimization}'`, e);
      }
    },

    async run({ model, session }, feeds) {
      try {
        const tensors: Record<string, ort.Tensor> = {};
        for (const spec of model.inputs) {
          const data = feeds[spec.name];
          if (!data) throw new Error(`no feed for input '${spec.name}'`);
          tensors[spec.name] = new ort.Tensor('float32', data, spec.shape);
        }
        const results = await session.run(tensors, model.outputs.map((o) => o.name));
        const outputs: Outputs = {};
        for (const [name, t] of Object.entries(results)) {
          if (t.type !== 'float32') throw new Error(`output '${name}' is ${t.type}, expected float32`);
          outputs[name] = { data: t.data as Float32Array, shape: [...t.dims] };
        }
        return outputs;
      } catch (e) {
        throw failed(model, 'run', describeFeeds(model, feeds), e);
      }
    },

    endProfile,
    async dispose(prepared) {
      await Promise.all(prepared ? [release(prepared)] : [...live].map(release));
    },
  };
}

/** Wraps a runtime error once, naming the runner and the model; keeps ORT's message, drops its stack. */
function failed(model: ModelArtifact, action: string, detail: string, e: unknown): MvbenchError {
  if (e instanceof MvbenchError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const where = `${ORT_NODE_CPU} could not ${action} model '${model.id}' (${detail})`;
  return new MvbenchError('RUNNER_FAILED', `${where}: ${message}`);
}

const describeFeeds = (model: ModelArtifact, feeds: Feeds) =>
  `fed ${Object.entries(feeds).map(([k, v]) => `${k}: ${v.length} values`).join(', ') || 'nothing'}; ` +
  `declared ${model.inputs.map((i) => `${i.name} [${i.shape}]`).join(', ')}`;
