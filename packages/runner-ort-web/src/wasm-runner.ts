/**
 * `ort-web:wasm`: onnxruntime-web's wasm build inside this Node process, the runtime a JS bundle ships to a server or
 * an Electron app. In Node 20, onnxruntime-web 1.30 does run its wasm threads (on worker_threads: mobilevit_xxs
 * 54 ms at 1 thread, 30 ms at 2, twice the CPU time). It initialises its wasm once per process with the
 * `numThreads` of the first session and lowers it to 1 where wasm threads are unavailable: `settingsUsed.threads`
 * is the value read back after initialisation, never the number asked for. The sweep runs one cell per process, so
 * each cell gets what it asks for; a second thread count in the same process is reported honestly, not applied.
 */
import type * as Ort from 'onnxruntime-web';
import { checkThreads, type ModelArtifact, type Prepared, type Runner } from '@mvbench/runner-core';
import { ORT_WEB_WASM } from './descriptors.ts';
import { describeFeeds, failed, orderedFeeds, ortWebVersion, supportsOn, toOutputs } from './ort-web-common.ts';

export interface OrtWebWasmPrepared extends Prepared {
  readonly model: ModelArtifact;
  readonly session: Ort.InferenceSession;
}

// imported on first use: `mvbench info` and other commands that never run a model do not pay for it
let ortModule: Promise<typeof Ort> | undefined;
let initialised: number | undefined; // the thread count the process's wasm was initialised with

export function createOrtWebWasmRunner(): Runner<OrtWebWasmPrepared> {
  const live = new Set<OrtWebWasmPrepared>();
  const release = async (p: OrtWebWasmPrepared) => {
    if (live.delete(p)) await p.session.release();
  };

  return {
    id: ORT_WEB_WASM,
    versions: { 'onnxruntime-web': ortWebVersion() },
    supports: (model) => supportsOn(ORT_WEB_WASM, 'wasm', model),

    async prepare(model, settings) {
      const { threads, graphOptimization = 'all' } = settings;
      checkThreads(ORT_WEB_WASM, threads);
      try {
        const ort = await (ortModule ??= import('onnxruntime-web'));
        if (initialised === undefined) ort.env.wasm.numThreads = threads;
        const session = await ort.InferenceSession.create(model.onnx, {
          executionProviders: ['wasm'],
          graphOptimizationLevel: graphOptimization,
        });
        initialised ??= ort.env.wasm.numThreads as number;
        const settingsUsed = { threads: initialised, threadsAsked: threads, graphOptimization, executionProvider: 'wasm', simd: true };
        const prepared: OrtWebWasmPrepared = { model, session, settingsUsed };
        live.add(prepared);
        return prepared;
      } catch (e) {
        throw failed(ORT_WEB_WASM, model, 'load', `${threads} thread(s), optimization '${graphOptimization}'`, e);
      }
    },

    async run({ model, session }, feeds) {
      try {
        const ort = await ortModule!;
        const tensors = Object.fromEntries(orderedFeeds(model, feeds).map((f) => [f.name, new ort.Tensor('float32', f.data, f.shape)]));
        const results = await session.run(tensors);
        return toOutputs(Object.entries(results).map(([name, t]) => ({ name, type: t.type, shape: t.dims, data: t.data as Float32Array })));
      } catch (e) {
        throw failed(ORT_WEB_WASM, model, 'run', describeFeeds(model, feeds), e);
      }
    },

    async dispose(prepared) {
      await Promise.all(prepared ? [release(prepared)] : [...live].map(release));
    },
  };
}
