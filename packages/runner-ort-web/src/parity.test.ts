/** The three reference fixtures pass on onnxruntime-web in Node and in Chromium, through the same checkParity. */
import { afterAll, describe, expect, it } from 'vitest';
import { PARITY_MODELS, referenceFile } from '@mvbench/fixtures';
import { checkParity, readFixture } from '@mvbench/pipeline';
import { createOrtWebBrowserRunner, createOrtWebWasmRunner } from './index.ts';

const runners = [createOrtWebWasmRunner(), createOrtWebBrowserRunner()]; // one browser for all three models
afterAll(() => Promise.all(runners.map((r) => r.dispose())));

describe('reference parity on onnxruntime-web', () => {
  for (const runner of runners)
    for (const id of PARITY_MODELS)
      it(`${id} on ${runner.id}`, async () => {
        const fixture = readFixture(referenceFile(`parity/${id}.json`));
        const r = await checkParity(id, { weights: referenceFile(`parity/${id}.safetensors`), fixture, runner });
        expect(r.top5Match).toBe(true);
        expect(r.maxAbsDiff, `max |diff| ${r.maxAbsDiff} > ${r.tolerance}`).toBeLessThanOrEqual(r.tolerance);
        expect(r.pass).toBe(true);
      });
});
