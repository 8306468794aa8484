import { expect, test } from 'vitest';
import { createNullRunner } from './null-runner.ts';
import type { ModelArtifact } from './runner.ts';

const model: ModelArtifact = {
  id: 'tiny:null',
  onnx: new Uint8Array(),
  inputs: [{ name: 'input', shape: [1, 3, 4, 4], dtype: 'float32' }],
  outputs: [
    { name: 'logits', shape: [1, 10], dtype: 'float32' },
    { name: 'features', shape: [1, 2, 3], dtype: 'float32' },
  ],
  ops: ['Conv', 'NotARealOp'],
};

test('null runner returns zeros of the declared output shapes', async () => {
  const runner = createNullRunner();
  expect(runner.supports(model)).toEqual({ ok: true });
  const prepared = await runner.prepare(model, { threads: 2 });
  expect(prepared.settingsUsed.threads).toBe(2);
  const out = await runner.run(prepared, { input: new Float32Array(48) });
  expect(Object.keys(out)).toEqual(['logits', 'features']);
  expect(out.logits.shape).toEqual([1, 10]);
  expect(out.logits.data).toEqual(new Float32Array(10));
  expect(out.features.shape).toEqual([1, 2, 3]);
  expect(out.features.data).toEqual(new Float32Array(6));
  await runner.dispose(prepared);
  await runner.dispose();
});

test('null runner rejects feeds that do not fit the declared inputs', async () => {
  const runner = createNullRunner();
  const prepared = await runner.prepare(model, { threads: 1 });
  await expect(runner.run(prepared, { input: new Float32Array(47) })).rejects.toMatchObject({
    code: 'RUNNER_FAILED',
    message: expect.stringContaining("'tiny:null'"),
  });
  await expect(runner.run(prepared, {})).rejects.toMatchObject({ code: 'RUNNER_FAILED' });
});
