/**
 * `mvbench predict` on predictor files written here (a made-up additive machine, so that nothing is measured):
 * predictions with intervals, the warnings a user must see, and the user errors of predictor files and flags.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { specFeatures } from '@mvbench/predict';
import { testPredictor } from '@mvbench/predict/testing';
import { environmentFingerprint } from '@mvbench/runner-core';
import { defaultSpace, sampleSpecs } from '@mvbench/space';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-predict-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const here = environmentFingerprint();
const samples = sampleSpecs(defaultSpace(), 40, 5).map((s) => {
  const f = specFeatures(s);
  return { spec: s.spec, features: f, ms: (f.conv_pointwise_macs + 2 * f.conv_dense_macs + 3 * f.attention_macs + f.linear_macs) / 1e6 + 0.5 };
});
const machine = { cpuModel: here.cpuModel, cores: here.cores, memoryGiB: here.memoryGiB, os: here.os, node: here.node };
const predictor = (other: Partial<typeof machine> = {}) => testPredictor(samples, { ...machine, ...other });
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
const good = file('good.json', JSON.stringify(predictor()));
const other = file('other.json', JSON.stringify(predictor({ cpuModel: 'Some Other CPU', cores: 64 })));
const predict = (...args: string[]) => runCli(['predict', ...args]);

describe('mvbench predict', () => {
  it('prints each spec with its prediction, interval and the predictor quality; --json for scripts', async () => {
    const r = await predict('mobilevit_xxs', 'mobilevitv2_075:depth=1x9x1', '--runner', 'ort-node:cpu', '--predictor', good);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mobilevit_xxs\s+\d+\.\d\d\s+\d+\.\d\d-\d+\.\d\d/);
    expect(r.stdout).toMatch(/mobilevitv2_075:depth=1x9x1 .*outside the space: depth stage 2 = 9 is outside the sampled range 2..5/);
    expect(r.stdout).toMatch(/40 specs, cross-validated: 100% within \+\/-5%/);
    const j = await predict('swiftformer_xs', '--runner', 'ort-node:cpu', '--predictor', good, '--json');
    const out = JSON.parse(j.stdout);
    expect(out.predictions[0].spec).toBe('swiftformer_xs');
    expect(out.predictions[0].lo).toBeLessThan(out.predictions[0].ms);
    expect(out.predictions[0].hi).toBeGreaterThan(out.predictions[0].ms);
  });

  it("another machine's predictor is refused unless --any-machine, then warned about", async () => {
    const r = await predict('mobilevit_xxs', '--runner', 'ort-node:cpu', '--predictor', other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/built for another machine or runtime: built on Some Other CPU \(64 cores\).*--any-machine/);
    const ok = await predict('mobilevit_xxs', '--runner', 'ort-node:cpu', '--predictor', other, '--any-machine');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/warning: built on Some Other CPU/);
  });

  it('bad predictor files and flags are user errors naming the file or option', async () => {
    const cases: [string[], RegExp][] = [
      [['mobilevit_xxs', '--runner', 'ort-node:cpu', '--predictor', file('cut.json', '{"schema":')], /cut.json is not valid JSON/],
      [['mobilevit_xxs', '--runner', 'ort-node:cpu', '--predictor', join(dir, 'missing.json')], /predictor file not found: .*missing.json/],
      [['mobilevit_xxs', '--runner', 'ort-node:cpu', '--threads', '2', '--predictor', good], /good.json predicts ort-node:cpu with 1 thread\(s\), not ort-node:cpu with 2/],
      [['mobilevit_xxs', '--runner', 'ort-nod:cpu', '--predictor', good], /unknown runner 'ort-nod:cpu'/],
      [['mobilevit_xxs', '--runner', 'ort-node:cpu', '--threads', 'two'], /--threads.*'two'/],
      [['mobilevit_xxx', '--runner', 'ort-node:cpu', '--predictor', good], /unknown model id 'mobilevit_xxx'/],
      [['mobilevit_xxs'], /required option '--runner <id>'/],
    ];
    for (const [args, message] of cases) {
      const r = await predict(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    }
  });

  it('predictor build and fit refuse bad spaces, numbers and missing measurements before measuring', async () => {
    const cases: [string[], RegExp][] = [
      [['build', '--runner', 'ort-node:cpu', '--space', 'mobilevitt', '--dir', dir], /unknown family 'mobilevitt'/],
      [['build', '--runner', 'ort-node:cpu', '--space', join(dir, 'nope.json'), '--dir', dir], /search space .*nope.json: file not found/],
      [['build', '--runner', 'ort-node:cpu', '--space', file('bad-space.json', '{"mobilevit": {"ffn": [100]}}'), '--dir', dir], /bad-space.json: mobilevit: ffn option 100/],
      [['build', '--runner', 'ort-node:cpu', '--minutes', '5m', '--dir', dir], /--minutes.*'5m' is not a decimal number/],
      [['fit', '--runner', 'ort-node:cpu', '--threads', '2', '--dir', dir], /no measurements for ort-node:cpu with 2 thread\(s\).*run mvbench predictor build first/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['predictor', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
