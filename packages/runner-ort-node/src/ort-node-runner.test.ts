import { existsSync, readFileSync } from 'node:fs';
import { referenceFile } from '@mvbench/fixtures';
import { describe, expect, test } from 'vitest';
import { fixtureInput, type ModelArtifact } from '@mvbench/runner-core';
import { createOrtNodeRunner, endProfile } from './index.ts';

const reference = referenceFile;

const parity = () => JSON.parse(readFileSync(reference('parity/mobilevit_xxs.json'), 'utf8'));
const torchExport = (): ModelArtifact => ({
  id: 'mobilevit_xxs:torch-export',
  onnx: readFileSync(reference('torch-export/mobilevit_xxs.onnx')),
  inputs: [{ name: 'input', shape: [1, 3, 256, 256], dtype: 'float32' }],
  outputs: [{ name: 'logits', shape: [1, 1000], dtype: 'float32' }],
  // op histogram in reference/README.md
  ops: ['Add', 'Concat', 'Constant', 'Conv', 'Flatten', 'Gemm', 'GlobalAveragePool', 'Identity', 'LayerNormalization',
    'MatMul', 'Mul', 'Reshape', 'Sigmoid', 'Softmax', 'Split', 'Squeeze', 'Transpose'],
});
const top5 = (x: Float32Array) => [...x.keys()].sort((a, b) => x[b] - x[a]).slice(0, 5);

describe('ort-node:cpu', () => {
  test('reports its id and the onnxruntime version', () => {
    const runner = createOrtNodeRunner();
    expect(runner.id).toBe('ort-node:cpu');
    expect(runner.versions['onnxruntime-node']).toBe('1.30.0');
    expect(runner.supports(torchExport())).toEqual({ ok: true });
  });

  test.each([
    [1, 'all'],
    [2, 'all'],
    [1, 'disabled'],
    [2, 'disabled'],
  ] as const)('matches the reference logits at %i thread(s), optimization %s', async (threads, graphOptimization) => {
    const { input, expected, tolerance_hint } = parity();
    const runner = createOrtNodeRunner();
    const prepared = await runner.prepare(torchExport(), { threads, graphOptimization });
    expect(prepared.settingsUsed).toMatchObject({ threads, graphOptimization, interOpThreads: 1, profile: false });
    const out = await runner.run(prepared, { input: fixtureInput(input.shape) });
    expect(out.logits.shape).toEqual([1, 1000]);
    const maxAbs = Math.max(...out.logits.data.map((v, i) => Math.abs(v - expected.logits[i])));
    expect(maxAbs).toBeLessThanOrEqual(tolerance_hint.pass_abs);
    expect(top5(out.logits.data)).toEqual(expected.top5_indices);
    await runner.dispose(prepared);
    await runner.dispose(prepared); // releasing twice is harmless
  });

  test('a feed of the wrong shape fails with RUNNER_FAILED naming runner and model', async () => {
    const runner = createOrtNodeRunner();
    const wrong = { ...torchExport(), id: 'mobilevit_xxs:at-224' };
    wrong.inputs = [{ name: 'input', shape: [1, 3, 224, 224], dtype: 'float32' }];
    const prepared = await runner.prepare(wrong, { threads: 1 });
    const err = await runner.run(prepared, { input: fixtureInput([1, 3, 224, 224]) }).catch((e) => e);
    expect(err).toMatchObject({ code: 'RUNNER_FAILED' });
    expect(err.message).toContain("'mobilevit_xxs:at-224'");
    expect(err.message).toContain('ort-node:cpu');
    expect(err.message).toMatch(/invalid dimensions/i); // onnxruntime's own words
    expect(err.message).not.toMatch(/\n\s+at /); // no stack inside the message
    await expect(runner.run(prepared, { input: new Float32Array(7) })).rejects.toMatchObject({ code: 'RUNNER_FAILED' });
    await expect(runner.run(prepared, {})).rejects.toThrow(/no feed for input 'input'/);
    await runner.dispose();
  });

  test('a corrupt model fails to prepare with RUNNER_FAILED', async () => {
    const runner = createOrtNodeRunner();
    const bad = { ...torchExport(), id: 'broken', onnx: new Uint8Array([1, 2, 3]) };
    await expect(runner.prepare(bad, { threads: 1 })).rejects.toMatchObject({
      code: 'RUNNER_FAILED',
      message: expect.stringMatching(/'broken'.*protobuf parsing failed/),
    });
    await expect(runner.prepare(torchExport(), { threads: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  test('profiling returns kernel timings and deletes the profile file', async () => {
    const runner = createOrtNodeRunner();
    const model = torchExport();
    const prepared = await runner.prepare(model, { threads: 1, profile: true });
    const dir = prepared.profileDir!;
    expect(existsSync(dir)).toBe(true);
    const x = fixtureInput(model.inputs[0].shape);
    await runner.run(prepared, { input: x });
    await runner.run(prepared, { input: x });
    const events = endProfile(prepared);
    expect(existsSync(dir)).toBe(false);
    const conv = events.filter((e) => e.op === 'Conv');
    expect(conv.length).toBeGreaterThan(0);
    for (const e of conv) expect(e.durUs).toBeGreaterThan(0);
    for (const e of events) expect(e.durUs).toBeGreaterThanOrEqual(0);
    expect(events.every((e) => e.node.length > 0 && !e.node.endsWith('_kernel_time'))).toBe(true);
    expect(() => endProfile(prepared)).toThrow(/not being profiled/);
    await runner.dispose();
  });

  test('dispose() without an argument releases every session', async () => {
    const runner = createOrtNodeRunner();
    const model = torchExport();
    const a = await runner.prepare(model, { threads: 1, profile: true });
    const b = await runner.prepare(model, { threads: 2 });
    const dir = a.profileDir!;
    await runner.dispose();
    expect(existsSync(dir)).toBe(false);
    await expect(runner.run(b, { input: fixtureInput(model.inputs[0].shape) })).rejects.toMatchObject({
      code: 'RUNNER_FAILED',
    });
  });
});
