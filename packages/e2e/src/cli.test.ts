import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxSummary } from '@mvbench/onnx';
import { referenceFile } from '@mvbench/fixtures';
import { cli } from './cli.ts';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('mvbench CLI', () => {
  it('info --json has top-level params and macs', async () => {
    const r = await cli(['info', 'mobilevit_xxs', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect([info.params, info.macs]).toEqual([1_272_024, 407_364_096]);
    expect(info.stages.at(-1)).toEqual({ name: 'final_conv', shape: [1, 320, 8, 8] });
  });

  it('user errors exit 2 with the message and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['info', 'mobilevit_xxx'], /Nearest: mobilevit_xxs/],
      [['info', 'mobilevit_xxs:heads=2'], /unknown knob 'heads'/],
      [['info', 'mobilevit_xxs:resolution=224'], /stages\.4\.1' has a 7x7 feature map/],
      [['run', 'mobilevit_xxs', '--runner', 'gpu:cuda'], /unknown runner 'gpu:cuda'; available runners: ort-node:cpu/],
      [['emit', 'mobilevit_xxs'], /required option '-o, --out/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    }
  });

  it('emit writes a loadable ONNX file; run executes it and the spec alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-cli-'));
    const out = join(dir, 'sub', 'm.onnx');
    const e = await cli(['emit', 'mobilevitv2_050:attention=additive', '-o', out]);
    expect(e.code, e.stderr).toBe(0);
    const summary = readOnnxSummary(new Uint8Array(readFileSync(out)));
    expect(summary.opset).toBe(17);
    expect(summary.opHistogram.ReduceL2).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['m.onnx']);
    const fromFile = await cli(['run', out, '--json']);
    const fromSpec = await cli(['run', 'mobilevitv2_050:attention=additive', '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).top5).toEqual(JSON.parse(fromSpec.stdout).top5);
  });

  it('corrupt and truncated inputs are clear user errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-cli-'));
    const bad = join(dir, 'cut.safetensors');
    writeFileSync(bad, readFileSync(referenceFile('parity/mobilevit_xxs.safetensors')).subarray(0, 5000));
    const r = await cli(['emit', 'mobilevit_xxs', '--weights', bad, '-o', join(dir, 'x.onnx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.safetensors/);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
    const onnx = join(dir, 'bad.onnx');
    writeFileSync(onnx, 'not a model');
    const o = await cli(['run', onnx]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/not a valid ONNX model/);
    noStack(o.stderr + r.stderr);
  });

  it('--help works for every command', async () => {
    for (const cmd of ['models', 'info', 'emit', 'parity', 'run']) {
      const r = await cli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: mvbench ${cmd}`);
    }
  });
});
