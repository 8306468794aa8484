/**
 * A latency predictor built for real: `mvbench predictor build` measures sampled specs of a small space on
 * onnxruntime-node (real sessions, child processes) and fits; `mvbench predict` reads the file; a sweep with
 * --predict stores predictions beside the measured latencies and the report plots them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-predictor-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// tiny MobileNetV2s: cheap cells, yet the widths, depths, expansions and resolutions the fit must separate
const space = join(dir, 'space.json');
writeFileSync(space, JSON.stringify({ mobilenetv2: { width: [0.35, 0.5, 0.75], resolution: [64, 96, 128], expand: [3, 6] } }));

describe('latency predictor, end to end', () => {
  it('builds from real measurements, predicts, and a sweep stores predictions that the report plots', async () => {
    // other test files run beside this one: their load is kept (and counted), or no cell would be usable
    const build = await cli(['predictor', 'build', '--runner', 'ort-node:cpu', '--specs', '28', '--keep-contended', '--space', space, '--dir', dir], { timeoutMs: 600_000 });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/predictor: .*ort-node-cpu-t1.json\n28 specs.*, cross-validated: \d+% within \+\/-5%/);
    const p = JSON.parse(readFileSync(join(dir, 'ort-node-cpu-t1.json'), 'utf8'));
    expect(p.crossValidation.specs).toBe(28);
    expect(p.space).toEqual({ mobilenetv2: expect.objectContaining({ resolution: [64, 96, 128] }) });
    // measured rows beside it, as any sweep's
    const rows = readFileSync(join(dir, 'ort-node-cpu-t1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.latency).length).toBeGreaterThanOrEqual(p.crossValidation.specs);

    const predicted = await cli(['predict', 'mobilenetv2_050:resolution=96', 'mobilenetv2_100', '--runner', 'ort-node:cpu', '--predictor', join(dir, 'ort-node-cpu-t1.json'), '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const [inside, outside] = JSON.parse(predicted.stdout).predictions;
    expect(inside.ms).toBeGreaterThan(0);
    expect(inside.outside).toEqual([]);
    expect(outside.outside).toEqual(['width=1 is outside the sampled range 0.35..0.75', 'resolution=224 is outside the sampled range 64..128']);

    const out = join(dir, 'sweep.jsonl');
    const sweep = await cli(['sweep', '--models', 'mobilenetv2_050:resolution=96', '--runner', 'ort-node:cpu', '--threads', '1', '--predict', dir, '--out', out, '--report-dir', dir, '--max-minutes', 'none'], { timeoutMs: 300_000 });
    expect(sweep.code, sweep.stderr).toBe(0);
    const row = JSON.parse(readFileSync(out, 'utf8').trim());
    expect(row.predicted).toEqual({ ms: inside.ms, lo: inside.lo, hi: inside.hi, predictor: 'ort-node-cpu-t1', outside: [] });
    const html = readFileSync(join(dir, `${row.plan}.html`), 'utf8');
    expect(html).toContain('Predicted vs measured latency');
    expect(html).toMatch(/1 of 1 cells \(100%\) predicted within|0 of 1 cells \(0%\) predicted within/);
  }, 900_000);
});
