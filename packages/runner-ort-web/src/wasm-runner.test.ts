import { afterAll, describe, expect, it } from 'vitest';
import { prepareModel } from '@mvbench/pipeline';
import { fixtureInput } from '@mvbench/runner-core';
import { createOrtWebWasmRunner } from './index.ts';

const small = () => prepareModel('mobilevit_xxs:resolution=64').artifact;
const runner = createOrtWebWasmRunner();
afterAll(() => runner.dispose());

describe('ort-web:wasm', () => {
  it('reports its id, the onnxruntime-web version and full op support', () => {
    expect(runner.id).toBe('ort-web:wasm');
    expect(runner.versions['onnxruntime-web']).toBe('1.30.0');
    expect(runner.supports(small())).toEqual({ ok: true });
  });

  it('records the thread count the process was initialised with, not a later ask', async () => {
    const model = small();
    const first = await runner.prepare(model, { threads: 1 });
    expect(first.settingsUsed).toMatchObject({ threads: 1, threadsAsked: 1, executionProvider: 'wasm', graphOptimization: 'all' });
    const second = await runner.prepare(model, { threads: 2, graphOptimization: 'disabled' });
    expect(second.settingsUsed).toMatchObject({ threads: 1, threadsAsked: 2, graphOptimization: 'disabled' });
    const x = { input: fixtureInput(model.inputs[0].shape) };
    const [a, b] = [await runner.run(first, x), await runner.run(second, x)];
    expect(a.logits.shape).toEqual([1, 1000]);
    const maxAbs = Math.max(...a.logits.data.map((v, i) => Math.abs(v - b.logits.data[i])));
    expect(maxAbs).toBeLessThan(1e-4);
    await runner.dispose(first);
    await runner.dispose(first); // releasing twice is harmless
    await runner.dispose(second);
  });

  it('errors name the runner and the model, keep the runtime message and drop the stack', async () => {
    const model = small();
    const p = await runner.prepare(model, { threads: 1 });
    const err = await runner.run(p, { input: new Float32Array(7) }).catch((e) => e);
    expect(err).toMatchObject({ code: 'RUNNER_FAILED' });
    expect(err.message).toContain("ort-web:wasm could not run model 'mobilevit_xxs:resolution=64'");
    expect(err.message).not.toMatch(/\n\s+at /);
    await expect(runner.run(p, {})).rejects.toThrow(/no feed for input 'input'/);
    await expect(runner.prepare({ ...model, id: 'broken', onnx: new Uint8Array([1, 2, 3]) }, { threads: 1 })).rejects.toMatchObject({
      code: 'RUNNER_FAILED',
      message: expect.stringContaining("could not load model 'broken'"),
    });
    await expect(runner.prepare(model, { threads: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
