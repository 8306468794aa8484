/**
 * The runner surface of tfjs:wasm, tfjs:cpu and tfjs:node: reference parity on the three fixtures, the plain
 * (unoptimised) graphs, settings, errors, memory. Every canonical model and every op case is compared with
 * onnxruntime-node by the shared conformance suite (packages/conformance), which lists these runners.
 */
import { describe, expect, it } from 'vitest';
import { MvbenchError } from '@mvbench/core';
import { PARITY_MODELS, referenceFile } from '@mvbench/fixtures';
import { checkParity, prepareModel, readFixture } from '@mvbench/pipeline';
import { fixtureInput, type ModelArtifact } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsRunner } from './index.ts';
import { tfjsNodeInstall, tfjsNodeMissing } from './node-install.ts';

const feedsOf = (m: ModelArtifact) => ({ [m.inputs[0].name]: fixtureInput(m.inputs[0].shape) });
const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

// tfjs:node needs `pnpm setup:tfjs-node`; CI sets MVBENCH_REQUIRE_TFJS_NODE after it, so an absent addon fails there
const nodeMissing = tfjsNodeMissing();
const parityDevices = nodeMissing ? (['wasm'] as const) : (['wasm', 'node'] as const);

describe('reference parity', () => {
  for (const device of parityDevices)
    for (const id of PARITY_MODELS)
      it(`tfjs:${device} passes on ${id}`, async () => {
        const runner = createTfjsRunner(device);
        const r = await checkParity(id, {
          weights: referenceFile(`parity/${id}.safetensors`),
          fixture: readFixture(referenceFile(`parity/${id}.json`)),
          runner,
        });
        expect(r.top5Match).toBe(true);
        expect(r.maxAbsDiff).toBeLessThanOrEqual(r.tolerance);
        expect(r.pass).toBe(true);
        await runner.dispose();
      });
});

describe('tfjs:wasm', () => {
  it('reports what it runs with: wasm, SIMD, one thread (tfjs-backend-wasm has no threads in Node)', async () => {
    const runner = createTfjsRunner('wasm');
    expect(runner.id).toBe('tfjs:wasm');
    expect(runner.versions).toEqual({ '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' });
    const { artifact } = prepareModel('mobilenetv2_050:resolution=96');
    const prepared = await runner.prepare(artifact, { threads: 2 });
    expect(prepared.settingsUsed).toMatchObject({ threads: 1, threadsAsked: 2, backend: 'wasm', simd: true, layout: 'nhwc', fusion: true });
    await runner.dispose();
  });

  it('runs the plain graphs (BatchNormalization, GroupNorm as InstanceNormalization), fused or not', async () => {
    const ort = createOrtNodeRunner();
    const runner = createTfjsRunner('wasm');
    for (const id of ['mobilevitv2_050:resolution=128', 'mobilevit_xxs:resolution=128']) {
      const { artifact } = prepareModel(id, { optimize: false });
      expect(artifact.ops).toContain('BatchNormalization');
      const feeds = feedsOf(artifact);
      const want = (await ort.run(await ort.prepare(artifact, { threads: 1 }), feeds)).logits.data;
      for (const graphOptimization of ['all', 'disabled'] as const) {
        const prepared = await runner.prepare(artifact, { threads: 1, graphOptimization });
        expect(prepared.settingsUsed.absorbed, `${id} ${graphOptimization}`).toSatisfy((n: number) => (graphOptimization === 'all' ? n > 0 : n === 0));
        const got = (await runner.run(prepared, feeds)).logits.data;
        expect(maxDiff(got, want), `${id} ${graphOptimization}`).toBeLessThanOrEqual(1e-4 * maxAbs(want));
      }
    }
    await Promise.all([ort.dispose(), runner.dispose()]);
  });

  it('supports() names every op it has no implementation for; prepare refuses them', async () => {
    const runner = createTfjsRunner('wasm');
    const { artifact } = prepareModel('mobilenetv2_050:resolution=64');
    expect(runner.supports(artifact)).toEqual({ ok: true });
    const odd = { ...artifact, id: 'odd', ops: [...artifact.ops, 'LSTM', 'GatherND'] };
    expect(runner.supports(odd)).toMatchObject({ ok: false, unsupportedOps: ['LSTM', 'GatherND'], reason: expect.stringMatching(/tfjs:wasm.*LSTM, GatherND/) });
    await expect(runner.prepare(odd, { threads: 1 })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringContaining("model 'odd'") });
  });

  it('errors name runner and model, keep the cause, and carry no stack', async () => {
    const runner = createTfjsRunner('wasm');
    const { artifact } = prepareModel('mobilenetv2_050:resolution=64');
    await expect(runner.prepare(artifact, { threads: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(runner.prepare({ ...artifact, id: 'broken', onnx: new Uint8Array([1, 2, 3]) }, { threads: 1 })).rejects.toMatchObject({
      message: expect.stringMatching(/^tfjs:wasm, model 'broken'/),
    });
    const prepared = await runner.prepare(artifact, { threads: 1 });
    const err = await runner.run(prepared, { input: new Float32Array(7) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MvbenchError);
    expect(err).toMatchObject({ code: 'RUNNER_FAILED', message: expect.stringMatching(/tfjs:wasm, model 'mobilenetv2_050:resolution=64'.*needs 12288 values/) });
    expect((err as Error).message).not.toMatch(/\n\s+at /);
    await expect(runner.run(prepared, {})).rejects.toThrow(/no feed for input 'input'/);
    await runner.dispose(prepared);
    await runner.dispose(prepared); // twice is harmless
    await expect(runner.run(prepared, feedsOf(artifact))).rejects.toThrow(/was disposed/);
  });

  it('uploads weights once, frees every intermediate, and releases everything on dispose', async () => {
    const runner = createTfjsRunner('wasm');
    const { artifact } = prepareModel('mobilevit_xxs:resolution=64');
    const before = tf.memory().numTensors;
    const prepared = await runner.prepare(artifact, { threads: 1 });
    const held = tf.memory().numTensors;
    const first = (await runner.run(prepared, feedsOf(artifact))).logits.data;
    expect(tf.memory().numTensors).toBe(held);
    const again = (await runner.run(prepared, feedsOf(artifact))).logits.data;
    expect(again).toEqual(first);
    expect(tf.memory().numTensors).toBe(held);
    await runner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tfjs:cpu and tfjs:wasm in one process', () => {
  it('each switches the tfjs engine to its backend and both stay right', async () => {
    const [cpu, wasm, ort] = [createTfjsRunner('cpu'), createTfjsRunner('wasm'), createOrtNodeRunner()];
    const { artifact } = prepareModel('mobilevitv2_050:resolution=64');
    const feeds = feedsOf(artifact);
    const want = (await ort.run(await ort.prepare(artifact, { threads: 1 }), feeds)).logits.data;
    const [pc, pw] = [await cpu.prepare(artifact, { threads: 1 }), await wasm.prepare(artifact, { threads: 1 })];
    expect(pc.settingsUsed).toMatchObject({ backend: 'cpu', threads: 1 });
    expect(cpu.versions).toEqual({ '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-cpu': '4.22.0' });
    for (const [runner, prepared] of [[cpu, pc], [wasm, pw], [cpu, pc]] as const) {
      const got = (await runner.run(prepared as never, feeds)).logits.data;
      expect(maxDiff(got, want), runner.id).toBeLessThanOrEqual(1e-4 * maxAbs(want));
    }
    await Promise.all([cpu.dispose(), wasm.dispose(), ort.dispose()]);
  });
});

describe('tfjs:node', () => {
  it.runIf(nodeMissing !== undefined)('without its built addon says it is absent and how to set it up', async () => {
    expect(process.env.MVBENCH_REQUIRE_TFJS_NODE, `tfjs:node is required here but absent: ${nodeMissing}`).toBeFalsy();
    const runner = createTfjsRunner('node');
    expect(runner.versions.tensorflow).toBe('not built');
    const { artifact } = prepareModel('mobilenetv2_050:resolution=64');
    const support = runner.supports(artifact);
    expect(support).toMatchObject({ ok: false, unsupportedOps: [], unavailable: true });
    expect(!support.ok && support.reason).toMatch(/@tensorflow\/tfjs-node .*pnpm (install|setup:tfjs-node)/);
    await expect(runner.prepare(artifact, { threads: 1 })).rejects.toMatchObject({ code: 'RUNNER_UNAVAILABLE', message: expect.stringMatching(/^tfjs:node, model .*pnpm/) });
  });

  it.runIf(nodeMissing === undefined)('runs on TensorFlow with the pools it sized, uploads weights once, frees the rest', async () => {
    const runner = createTfjsRunner('node');
    expect(runner.versions).toMatchObject({ '@tensorflow/tfjs-node': '4.22.0', tensorflow: tfjsNodeInstall()!.build!.tensorflow });
    const { artifact } = prepareModel('mobilevit_xxs:resolution=64');
    const prepared = await runner.prepare(artifact, { threads: 2 });
    // the first prepare of the process sizes TensorFlow's pools (TF_NUM_INTRAOP_THREADS unless already set)
    const intra = Number(process.env.TF_NUM_INTRAOP_THREADS);
    expect(prepared.settingsUsed).toMatchObject({ backend: 'tensorflow', threads: intra, interOpThreads: 1, threadsAsked: 2, tensorflow: expect.stringMatching(/^2\./) });
    const held = prepared.tf.memory().numTensors;
    const first = (await runner.run(prepared, feedsOf(artifact))).logits.data;
    expect((await runner.run(prepared, feedsOf(artifact))).logits.data).toEqual(first);
    expect(prepared.tf.memory().numTensors).toBe(held);
    await runner.dispose();
  });

  it('an unknown device is a user error', () => {
    expect(() => createTfjsRunner('webgl' as never)).toThrow(/unknown tfjs device 'webgl'; tfjs runners: wasm, cpu, node/);
  });
});
