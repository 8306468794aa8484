/**
 * Real Valgrind on a small model (mobilenetv2_050 at 32 px, ~1.8 M instructions per inference on ort-node:cpu, ~24 M
 * on ort-web:wasm): counts agree across processes and see one injected element-wise op. (Small models spread more
 * than large ones: a ~250 k-instruction event lands in some ort-node inferences, 0.2% of mobilevit_xxs, 14% here; the
 * median of 3 counted runs drops it.) Needs valgrind (.ci/run installs it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareModel } from '@mvbench/pipeline';
import { checkDumps, countInstructions, uncountable } from './count.ts';
import { valgrindStatus } from './valgrind.ts';
import { estimatedCycles, readSummary } from './callgrind-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-instructions-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(injected: number, runner = 'ort-node:cpu') {
  const m = prepareModel('mobilenetv2_050:resolution=32', { injectSlowdown: injected });
  const onnxPath = join(dir, `m${injected}.onnx`);
  writeFileSync(onnxPath, m.onnx);
  return { runner, onnxPath, inputs: m.artifact.inputs, graphOptimization: 'all', runs: 3, timeoutS: 600 };
}

describe('instruction counts under Valgrind', () => {
  it('two processes of the same model agree within 0.3%; one extra element-wise op is counted', async () => {
    expect(valgrindStatus(), 'valgrind must be installed for this test (apt-get install valgrind)').toMatchObject({ ok: true });
    const [a, b, c] = await Promise.all([countInstructions(model(0)), countInstructions(model(0)), countInstructions(model(1))]);
    if (!a.ok || !b.ok || !c.ok) throw new Error(JSON.stringify([a, b, c]));
    expect(a.runs).toBe(3);
    expect(a.instructions).toBeGreaterThan(1e5);
    expect(Math.abs(a.instructions / b.instructions - 1)).toBeLessThan(3e-3);
    expect(c.instructions / a.instructions).toBeGreaterThan(1.01);
    expect(a.estimatedCycles).toBeGreaterThan(a.instructions);
    expect(a.tool).toMatch(/^valgrind-\d/);
  }, 180_000);

  // onnxruntime-web's wasm in Node, counted inside V8's generic JS-to-wasm wrapper (count.ts): processes agree to a
  // few thousand instructions (0.0034% over 4 processes when measured)
  it('ort-web:wasm: two processes agree within 0.05%; one extra element-wise op is counted', async () => {
    expect(valgrindStatus(), 'valgrind must be installed for this test (apt-get install valgrind)').toMatchObject({ ok: true });
    const [a, b, c] = await Promise.all([countInstructions(model(0, 'ort-web:wasm')), countInstructions(model(0, 'ort-web:wasm')), countInstructions(model(1, 'ort-web:wasm'))]);
    if (!a.ok || !b.ok || !c.ok) throw new Error(JSON.stringify([a, b, c]));
    expect(a.instructions).toBeGreaterThan(1e6);
    expect(a.spread).toBeLessThan(1e-3);
    expect(Math.abs(a.instructions / b.instructions - 1)).toBeLessThan(5e-4);
    expect(c.instructions / a.instructions).toBeGreaterThan(1.001);
  }, 300_000);

  it('a runner that cannot be counted, or a machine without valgrind, gets a message instead of a count', async () => {
    expect(uncountable('ort-node:cpu')).toBeUndefined();
    expect(uncountable('ort-web:wasm')).toBeUndefined();
    expect(uncountable('tfjs:wasm')).toMatch(/ort-node:cpu, ort-web:wasm only: tfjs:wasm cannot be counted \(tfjs calls its backend once per kernel/);
    const browser = await countInstructions({ ...model(0), runner: 'ort-web:wasm-browser' });
    expect(browser).toMatchObject({ ok: false, message: expect.stringMatching(/ort-web:wasm-browser cannot be counted \(its inference runs inside Chromium/) });
    expect(valgrindStatus('/nonexistent')).toEqual({ ok: false, reason: expect.stringMatching(/valgrind is not installed.*apt-get install valgrind/) });
  });

  it('counts that cannot be an inference fail loudly: 0, tiny, or counting that stopped partway', () => {
    expect(checkDumps('ort-web:wasm', [24_274_265, 24_274_085, 24_274_265])).toBeUndefined();
    expect(checkDumps('ort-web:wasm', [0, 24_274_085, 24_274_265])).toMatch(/counted 0 instructions in an inference of ort-web:wasm/);
    expect(checkDumps('ort-web:wasm', [3_120, 3_120, 3_120])).toMatch(/under 100,000 instructions.*counts: 3,120, 3,120, 3,120/);
    expect(checkDumps('ort-web:wasm', [24_274_265, 24_274_085, 9_000_000])).toMatch(/differ by more than 2x: counting stopped partway/);
  });
});

describe('callgrind dumps', () => {
  const dump = 'version: 1\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\nsummary: 1000 300 100 10 20 10 1 2 3\n';
  it('reads the summary and weighs misses as iai does (L1 hit 1, LL hit 5, memory 35)', () => {
    const e = readSummary(dump, 'cg.out.1');
    expect(e).toMatchObject({ Ir: 1000, D1mr: 20, DLmw: 3 });
    // accesses 1400, L1 misses 40, LL misses 6: 1360 + 5 * 34 + 35 * 6
    expect(estimatedCycles(e)).toBe(1360 + 170 + 210);
  });
  it('names the file that is not a dump, or lacks the cache events', () => {
    expect(() => readSummary('nothing', 'x.out')).toThrow(/x\.out is not a callgrind dump/);
    expect(() => readSummary('events: Ir\nsummary: 5\n', 'y.out')).toThrow(/y\.out lacks the events Dr/);
  });
});
