/**
 * Registry-driven: every canonical model and every valid knob combination of a small grid is built, emitted,
 * loaded in onnxruntime-node, run, and its output shape checked against the inferred one. Grid points that are
 * invalid (a patch that does not tile a feature map) must fail with PATCH_DOES_NOT_DIVIDE, never silently.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalIds, FAMILIES, knobsOf, modelInfo, parseSpec, STRUCTURE_KNOBS, type AnyFamily } from '@mvbench/dsl';
import { PARITY_MODELS, referenceFile } from '@mvbench/fixtures';
import { MvbenchError } from '@mvbench/core';
import { fixtureInput } from '@mvbench/runner-core';
import { createOrtNodeRunner } from '@mvbench/runner-ort-node';
import { prepareModel } from '@mvbench/pipeline';

const runner = createOrtNodeRunner();
afterAll(() => runner.dispose());

async function emitAndRun(spec: string): Promise<void> {
  const m = prepareModel(spec);
  const prepared = await runner.prepare(m.artifact, { threads: 1 });
  const input = m.artifact.inputs[0];
  const out = await runner.run(prepared, { [input.name]: fixtureInput(input.shape) });
  await runner.dispose(prepared);
  const logits = out[m.artifact.outputs[0].name];
  expect(logits.shape).toEqual(m.info!.output);
  expect(logits.data.every(Number.isFinite)).toBe(true);
}

/** the grid: per family its first canonical id x width {id's, 0.5} x every attention x patch {A, B} x resolution {id's, 96} */
function grid(): string[] {
  const specs: string[] = [];
  for (const f of FAMILIES) {
    const id = Object.keys(f.variants)[0];
    const knobs = knobsOf(f);
    for (const width of ['', 'width=0.5'])
      for (const attention of knobs.includes('attention') ? f.attention.map((a: string) => `attention=${a}`) : [''])
        for (const patch of knobs.includes('patch') ? ['patch=A', 'patch=B'] : [''])
          for (const res of ['', 'resolution=96']) {
            const k = [width, attention, patch, res].filter(Boolean);
            specs.push(k.length ? `${id}:${k.join(',')}` : id);
          }
  }
  return specs;
}

describe('every canonical model runs in onnxruntime-node with the inferred output shape', () => {
  for (const id of canonicalIds()) it(id, () => emitAndRun(id));
});

describe('knob grid', () => {
  const specs = grid();
  it('has valid and invalid points', () => expect(specs.length).toBeGreaterThan(60));
  for (const spec of specs)
    it(spec, async () => {
      try {
        parseSpec(spec);
        await emitAndRun(spec);
      } catch (e) {
        // only a patch that does not tile is an acceptable reason for a grid point not to exist
        expect(e instanceof MvbenchError && e.code, (e as Error).message).toBe('PATCH_DOES_NOT_DIVIDE');
        expect(spec).toMatch(/resolution=96|patch=B/);
      }
    });

  it('patch=B tiles the canonical resolution for every patch family', () => {
    for (const f of FAMILIES.filter((x) => x.patch)) {
      const id = Object.keys(f.variants)[0];
      expect(modelInfo(prepareModel(`${id}:patch=B`).built!).output).toEqual([1, 1000]);
    }
  });
});

/** per family, values of each structure knob it takes on both sides of its first variant's (within the ranges) */
function offDefault(f: AnyFamily): string[] {
  const row = Object.values(f.variants)[0];
  const change: Record<string, (v: number, up: boolean) => number> = {
    depth: (d, up) => (up ? d + 1 : Math.max(1, d - 1)), ffn: (r, up) => (up ? r + 1.5 : r - 1), expand: (e, up) => (up ? e + 2 : e - 1), dims: (d, up) => (up ? d + 32 : d - 16),
  };
  return STRUCTURE_KNOBS.filter((k) => knobsOf(f).includes(k)).flatMap((k) =>
    [false, true].map((up) => {
      const v = f.structure[k]!.of(row) as number | number[];
      return `${k}=${typeof v === 'number' ? change[k](v, up) : v.map((x) => change[k](x, up)).join('x')}`;
    }),
  );
}

describe('structure knobs: every family, each knob it takes below and above its default, at 128 px', () => {
  for (const f of FAMILIES)
    for (const knob of offDefault(f)) {
      const spec = `${Object.keys(f.variants)[0]}:resolution=128,${knob}`;
      it(spec, async () => {
        expect(parseSpec(spec).canonical).toBe(false);
        await emitAndRun(spec);
      });
    }

  it('a reference checkpoint that no longer fits is the weights-mismatch error listing the tensors, not a crash', () => {
    for (const id of PARITY_MODELS) {
      const f = parseSpec(id).family;
      for (const knob of offDefault(f)) {
        const spec = `${id}:${knob}`;
        try {
          prepareModel(spec, { weights: referenceFile(`parity/${id}.safetensors`), emit: false });
          expect.unreachable(`${spec} loaded ${id}'s checkpoint`);
        } catch (e) {
          expect(e instanceof MvbenchError && [e.code, e.user], `${spec}: ${(e as Error).message}`).toEqual(['WEIGHTS_MISMATCH', true]);
          expect((e as Error).message, spec).toMatch(/missing|unexpected|shape/);
        }
      }
    }
  });
});
