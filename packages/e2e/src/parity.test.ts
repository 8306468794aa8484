/**
 * The foundation's acceptance check, exactly as a user runs it: `mvbench parity <id> --weights --expect` for the
 * three reference fixtures, in a child process, exit code 0 and PASS. Plus the weights-file facts.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, modelInfo } from '@mvbench/dsl';
import { PARITY_MODELS, readParityFixture, referenceFile } from '@mvbench/fixtures';
import { exportCheckpoint, readSafetensorsFile } from '@mvbench/weights';
import { cli } from './cli.ts';

describe('parity with the reference implementations', () => {
  for (const id of PARITY_MODELS)
    it(`mvbench parity ${id} passes on ort-node:cpu`, async () => {
      const weights = referenceFile(`parity/${id}.safetensors`);
      const expect_ = referenceFile(`parity/${id}.json`);
      const r = await cli(['parity', id, '--weights', weights, '--expect', expect_, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.pass).toBe(true);
      expect(out.top5Match).toBe(true);
      expect(out.maxAbsDiff).toBeLessThanOrEqual(out.tolerance);
    });

  for (const id of PARITY_MODELS)
    it(`${id}: params and checkpoint tensors equal the fixture's exactly`, () => {
      const fixture = readParityFixture(id);
      const built = buildModel(id);
      expect(modelInfo(built).params).toBe(fixture.params);
      const ours = exportCheckpoint(built.graph).map((t) => [t.name, t.shape]);
      expect(new Map(ours as [string, number[]][])).toEqual(new Map(fixture.tensors));
      expect(readSafetensorsFile(referenceFile(`parity/${id}.safetensors`)).order).toHaveLength(fixture.tensors.length);
    });

  it('a wrong checkpoint is a user error (exit 2) that lists the mismatches', async () => {
    const r = await cli([
      'parity', 'swiftformer_xs',
      '--weights', referenceFile('parity/mobilevit_xxs.safetensors'),
      '--expect', referenceFile('parity/swiftformer_xs.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/290 missing, 279 unexpected/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
