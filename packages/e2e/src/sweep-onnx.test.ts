/**
 * Arbitrary .onnx files in a sweep, as a user runs it: a file emitted with a dynamic batch dimension (given its
 * shape in a plan) and a torch export the IR importer cannot read, on ort-node:cpu (raw ONNX, as ort-web takes it)
 * and tfjs:wasm (which compiles from the IR); then report, export and compare on those rows. Bad files exit 2 first.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { referenceFile } from '@mvbench/fixtures';
import { toOnnx } from '@mvbench/onnx';
import { prepareModel } from '@mvbench/pipeline';
import { readRows, resultJsonSchema } from '@mvbench/results';
import { cli } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-onnx-'));
const model = prepareModel('mobilenetv2_050:resolution=64');
const [input, output] = [model.artifact.inputs[0].name, model.artifact.outputs[0].name];
const dynamic = join(dir, 'mnv2-dynamic.onnx');
writeFileSync(dynamic, toOnnx(model.graph, { dynamicAxes: { [input]: { 0: 'batch' }, [output]: { 0: 'batch' } } }));
const torch = referenceFile('torch-export/mobilevit_xxs.onnx');

describe('mvbench sweep with .onnx files', () => {
  it('a dynamic dimension without a shape: exit 2 naming the file, the input and a shape to give', async () => {
    const dyn = await cli(['sweep', '--onnx', dynamic, '--dry-run']);
    expect(dyn.code).toBe(2);
    expect(dyn.stderr).toMatch(new RegExp(`mnv2-dynamic\\.onnx: input '${input}' has dynamic dimensions \\(batchx3x64x64\\): give its shape .*1x3x64x64`));
    expect(dyn.stderr).not.toMatch(/\n\s+at /); // no stack trace (more bad input: apps/sweep/src/cli/bad-input.test.ts)
  });

  it('mvbench run takes a file with ops outside the IR (a torch export) as onnxruntime reads it', async () => {
    const r = await cli(['run', torch, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: expect.stringMatching(/^mobilevit_xxs\.onnx@[0-9a-f]{12}$/), top5: expect.any(Array) });
  });

  it('measures them on ort-node and tfjs; rows identify each file by name and hash; report, export and compare take them', async () => {
    const plan = join(dir, 'onnx-plan.json');
    writeFileSync(plan, JSON.stringify({
      name: 'onnx-e2e',
      onnx: [{ file: dynamic, inputShapes: ['1x3x64x64'] }, torch],
      runners: [{ runner: 'ort-node:cpu' }, { runner: 'tfjs:wasm' }],
      measure: { warmupRuns: 2, minRuns: 6, maxRuns: 8, budgetMs: 50 },
      accuracy: 'none',
    }));
    const out = join(dir, 'onnx.jsonl');
    const r = await cli(['sweep', '--plan', plan, '--out', out, '--report-dir', dir], { timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    const rows = readRows(out).rows;
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect([...new Set(rows.map((x) => x.spec))]).toEqual([`mnv2-dynamic.onnx@${sha(dynamic).slice(0, 12)}:1x3x64x64`, `mobilevit_xxs.onnx@${sha(torch).slice(0, 12)}`]);
    const validate = new Ajv2020({ strict: false }).compile(resultJsonSchema());
    for (const row of rows) {
      expect(validate(row), JSON.stringify(validate.errors)).toBe(true);
      expect(row).toMatchObject({ family: 'onnx', canonical: false, knobs: null, accuracy: { kind: 'none' } });
      expect(row.onnx!.sha256).toBe(sha(row.id === 'mobilevit_xxs.onnx' ? torch : dynamic));
      const importable = row.id === 'mnv2-dynamic.onnx';
      if (importable || row.runner !== 'tfjs:wasm') expect(row.error, row.cell).toBeNull();
      else expect(row.error).toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/tfjs:wasm has no implementation of Squeeze/) });
    }
    const [dyn, tx] = [rows.find((x) => x.id === 'mnv2-dynamic.onnx')!, rows.find((x) => x.id === 'mobilevit_xxs.onnx')!];
    expect(dyn.onnx!.inputs).toEqual([{ name: input, shape: [1, 3, 64, 64] }]);
    // the emitted graph has BatchNorm folded into the convolutions: a few parameters fewer than the model's
    expect(dyn.params! / model.info!.params).toBeGreaterThan(0.99);
    expect(dyn.params! / model.info!.params).toBeLessThanOrEqual(1);
    expect(dyn.macs).toBeGreaterThan(0);
    expect(tx).toMatchObject({ params: 1266064, macs: null, onnx: { opset: 17, producer: expect.stringMatching(/pytorch/) } });
    expect(rows.filter((x) => x.latency).map((x) => x.runner).sort()).toEqual(['ort-node:cpu', 'ort-node:cpu', 'tfjs:wasm']);
    expect(existsSync(join(dir, 'onnx-e2e.html'))).toBe(true);

    // the figures as SVG (no HTML this time), a CSV and a markdown table: no figure breaks on rows without knobs
    const rep = await cli(['report', out, '--no-html', '--figures', join(dir, 'figures'), '--formats', 'svg', '--markdown', '-', '--csv', join(dir, 'onnx.csv')]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(readdirSync(join(dir, 'figures')).filter((f) => !f.endsWith('.svg'))).toEqual([]);
    expect(rep.stdout).toContain(`\`${dyn.spec}\``);
    // no accuracy, so no Pareto figure; the latency vs params figure has both files (MACs only the importable one)
    expect(readFileSync(join(dir, 'figures', 'params-latency.svg'), 'utf8')).toMatch(/mnv2-dynamic\.onnx[^]*mobilevit_xxs\.onnx/);
    expect(readFileSync(join(dir, 'onnx.csv'), 'utf8')).toContain(`,onnx,false,,,,,`);
    const cmp = await cli(['compare', out, out, '--json']);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(cmp.stdout))).toContain(dyn.cell);
  });
});
