/**
 * Bad input as a hostile user types it, through the CLI's own entry (`main`, in this process, so that a hundred
 * cases cost seconds; packages/e2e/src/bad-input.test.ts runs a few of them as real processes): every case exits 2
 * (a user error), names the option, field, file or model and what is allowed, prints no stack trace, and writes
 * nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceFile } from '@mvbench/fixtures';
import { runCli } from './run-cli.ts';

const cli = runCli;

const dir = mkdtempSync(join(tmpdir(), 'mvbench-bad-input-'));
const out = join(dir, 'never.jsonl');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const plan = (name: string, extra: object) =>
  file(`${name}.json`, JSON.stringify({ name, runners: [{ runner: 'null' }], models: ['mobilevit_xxs'], ...extra }));
const image = join(dir, 'images');
mkdirSync(image);
const aFile = file('plain.txt', 'not a directory\n');
const sweep = (...args: string[]) => ['sweep', ...args, '--out', out, '--report-dir', dir];

/** [what the user typed, what the message must say] */
type Case = [string[], RegExp];

const numbers: Case[] = [
  // the CI gate: a typo must never turn a threshold into NaN
  [['regress', '--min-effect', '5%'], /--min-effect.*'5%' is not a decimal number; expected a number above 0 and below 1 \(a fraction such as 0.05 for 5%\)/],
  [['regress', '--min-effect', '1.5'], /--min-effect.*out of range/],
  [['regress', '--alpha', 'abc'], /--alpha.*'abc'/],
  [['regress', '--alpha', '0'], /--alpha.*out of range/],
  [['regress', '--inject-slowdown', 'abc'], /--inject-slowdown.*expected an integer/],
  [['regress', '--inject-slowdown', '-1'], /--inject-slowdown/],
  [['emit', 'mobilevit_xxs', '--seed', 'abc', '-o', join(dir, 'x.onnx')], /--seed.*'abc' is not a decimal number/],
  [['emit', 'mobilevit_xxs', '--seed', '1.5', '-o', join(dir, 'x.onnx')], /--seed.*expected an integer >= 0/],
  [['run', 'mobilevit_xxs', '--threads', '0'], /--threads.*from 1 to 64/],
  [['run', 'mobilevit_xxs', '--threads', '2x'], /--threads/],
  [['run', 'mobilevit_xxs', '--seed', '-3'], /--seed/],
  [['parity', 'mobilevit_xxs', '--weights', 'w', '--expect', 'e', '--threads', 'all'], /--threads/],
  [['train', 'mobilevit_xxs', '--epochs', 'abc'], /--epochs/],
  [['train', 'mobilevit_xxs', '--lr', '0'], /--lr.*above 0/],
  [['train', 'mobilevit_xxs', '--lr', '1e'], /--lr/],
  [['train', 'mobilevit_xxs', '--classes', '11'], /--classes.*from 2 to 10/],
  [['train', 'mobilevit_xxs', '--calibration-images', '-1'], /--calibration-images/],
  [['score', 'mobilevit_xxs', '--batch', '1'], /--batch.*from 2 to 1024/],
  [['eval', 'mobilevit_xxs', '--data', 'synthetic', '--limit', '0'], /--limit/],
  [['eval', 'mobilevit_xxs', '--data', 'synthetic', '--batch', '0x8'], /--batch.*'0x8' is not a decimal number/],
  [sweep('--models', 'mobilevit_xxs', '--budget-ms', '-5'), /--budget-ms.*above 0/],
  [sweep('--models', 'mobilevit_xxs', '--budget-ms', 'fast'), /--budget-ms/],
  [sweep('--models', 'mobilevit_xxs', '--threads', '0'), /--threads.*from 1 to 64/],
  [sweep('--models', 'mobilevit_xxs', '--threads', '1,two'), /--threads: 'two'/],
  [sweep('--models', 'mobilevit_xxs', '--threads', ','), /--threads: the list is empty/],
  [sweep('--family', 'mobilevitv2', '--widths', '0.5,abc'), /--widths: 'abc'/],
  [sweep('--family', 'mobilevitv2', '--resolution', '256.5'), /--resolution/],
  [sweep('--plan', 'smoke', '--shard', '3/2'), /--shard '3\/2'/],
  [sweep('--plan', 'smoke', '--warmup', '-1'), /--warmup: '-1' is out of range; expected an integer >= 0/],
  [sweep('--plan', 'smoke', '--min-runs', '3'), /--min-runs: '3' is out of range; expected an integer >= 6/],
  [sweep('--plan', 'smoke', '--min-runs', '50', '--max-runs', '10'), /measure.minRuns: minRuns must not exceed maxRuns/],
  [sweep('--plan', 'smoke', '--processes', '0'), /--processes.*expected an integer >= 1/],
  [sweep('--plan', 'smoke', '--target-ci', '5%'), /--target-ci: '5%' is not a decimal number/],
  [['run', 'mobilevit_xxs', '--min-runs', '2'], /--min-runs.*expected an integer >= 6/],
  [['run', 'mobilevit_xxs', '--min-runs', '50', '--max-runs', '10'], /--min-runs 50 exceeds --max-runs 10/],
  [['run', 'mobilevit_xxs', '--target-ci', '1%'], /--target-ci/],
  [['run', 'mobilevit_xxs', '--warmup', 'x'], /--warmup/],
];

const specs: Case[] = [
  [['info', 'mobilevit_xxs:'], /cannot parse model spec 'mobilevit_xxs:'/],
  [['info', 'mobilevit_xxs:width=0x1'], /width='0x1' is not allowed; width takes a number from 0.25 to 4/],
  [['info', 'mobilevit_xxs:width='], /width='' is not allowed/],
  [['info', 'mobilevit_xxs:resolution=256px'], /resolution='256px'/],
  [['info', 'mobilevit_xxs:patch=8x4x2.5'], /patch='8x4x2.5'/],
  [['info', 'mobilevit_xxs:width=1,width=2'], /knob 'width' is given twice/],
  [['info', 'mobilenetv2_100:patch=B'], /knob 'patch' does not apply to family mobilenetv2/],
  [['info', ''], /cannot parse model spec ''/],
];

const plans: Case[] = [
  [sweep('--plan', plan('typo', { measure: { budgetMS: 100 } })), /measure: Unrecognized key: "budgetMS"/],
  [sweep('--plan', plan('top-typo', { runner: 'null' })), /\(plan\): Unrecognized key: "runner"/],
  [sweep('--plan', plan('runs', { measure: { minRuns: 50, maxRuns: 10 } })), /measure.minRuns: minRuns must not exceed maxRuns/],
  [sweep('--plan', plan('empty-axis', { models: [], axes: [{ family: 'mobilevit', patch: [] }] })), /axes.0.patch: an empty list gives no cells/],
  [sweep('--plan', plan('no-models', { models: [] })), /models: a plan needs models or axes/],
  [sweep('--plan', plan('acc', { accuracy: { kind: 'proxy', epoch: 2 } })), /accuracy: Unrecognized key: "epoch"/],
  [sweep('--plan', plan('threads', { runners: [{ runner: 'null', threads: [0] }] })), /runners.0.threads.0/],
  [sweep('--plan', plan('bad runner', {})), /name: lower-case letters/],
  [sweep('--plan', plan('runner', { runners: [{ runner: 'ort-node:gpu' }] })), /unknown runner 'ort-node:gpu'; available runners: ort-node:cpu/],
  [
    sweep('--plan', plan('huge', { models: [], axes: [{ family: 'mobilevitv2', widths: Array.from({ length: 60 }, (_, i) => 0.3 + i / 100), resolution: Array.from({ length: 40 }, (_, i) => 64 + 32 * i) }] })),
    /plan 'huge' has 2,400 cells \(more than 2000\); narrow its axes, split it with --shard i\/n, or pass --yes/,
  ],
  [sweep('--plan', file('plan.txt', 'name: x\n')), /plan file .*plan.txt: expected a .json, .ts or .js plan file/],
  [sweep('--plan', file('broken.ts', 'export default { name: "x", runners: [\n')), /plan file .*broken.ts cannot be loaded/],
  [sweep('--plan', file('nodefault.ts', 'export const plan = { name: "x" };\n')), /plan file .*nodefault.ts has no default export/],
  [sweep('--plan', file('broken.json', '{"name": "x",')), /plan file .*broken.json is not valid JSON/],
  [sweep('--plan', image), /plan .*images is a directory, not a plan file/],
  [sweep('--plan', 'no-such-plan'), /unknown plan 'no-such-plan': built-in plans are default, smoke/],
  [sweep('--plan', 'no-such-plan', '--dry-run'), /unknown plan 'no-such-plan'/],
  [sweep('--family', 'mobilevitv2', '--widths', '0.5,x', '--dry-run'), /--widths: 'x'/],
  [sweep('--models', 'mobilevit_xxs', '--accuracy', '{"kind":'), /--accuracy: not a kind name or a JSON object/],
  [sweep('--models', 'mobilevit_xxs', '--accuracy', 'exact'), /accuracy/],
  [sweep('--models', 'mobilevit_xxs', '--profile', 'some'), /profile/],
  // .onnx files (a dynamic dimension without a shape: packages/e2e/src/sweep-onnx.test.ts, as a real process)
  [sweep('--onnx', file('junk.onnx', 'not a model')), /junk\.onnx is not a valid ONNX model/],
  [sweep('--onnx', join(dir, 'missing.onnx')), /onnx\.0: .*missing\.onnx: ONNX file not found/],
  [sweep('--onnx', referenceFile('torch-export/mobilevit_xxs.onnx'), '--input-shape', '1x3x224x224'), /input 'input' is 1x3x256x256; dimension 2 is fixed at 256/],
  [sweep('--onnx', referenceFile('torch-export/mobilevit_xxs.onnx'), '--input-shape', '1x3x256xbig'), /--input-shape '1x3x256xbig': 'big' is not a decimal number/],
  [sweep('--models', 'mobilevit_xxs', '--input-shape', '1x3x256x256'), /--input-shape sets the dynamic input dimensions of --onnx files: give --onnx too/],
  [sweep('--plan', plan('onnx-entry', { onnx: ['model.pt'] })), /onnx.0.file: an .onnx file/],
  [['report', 'results.jsonl', '--figures', dir, '--formats', 'svg,gif'], /--formats 'svg,gif': expected svg, png or both/],
];

const paths: Case[] = [
  [['sweep', '--models', 'mobilevit_xxs', '--runner', 'null', '--out', '/proc/mvbench.jsonl', '--no-report'], /results file \/proc\/mvbench.jsonl is not writable/],
  [['sweep', '--models', 'mobilevit_xxs', '--runner', 'null', '--out', out, '--report-dir', aFile], /report directory \(--report-dir\) .*plain.txt is not writable: it is a file/],
  [['sweep', '--models', 'mobilevit_xxs', '--runner', 'null', '--out', out, '--report-dir', '/proc/mvbench-reports'], /report directory \(--report-dir\) \/proc\/mvbench-reports is not writable/],
  [['sweep', '--models', 'mobilevit_xxs', '--runner', 'null', '--out', out, '--no-report', '--csv', image], /CSV file \(--csv\) .*images is not writable: it is a directory/],
  [['train', 'mobilevit_xxs', '--save', '/proc/mvbench.safetensors'], /weights file \(--save\) \/proc\/mvbench.safetensors is not writable/],
  [['eval', 'mobilevit_xxs', '--data', aFile], /dataset directory .*plain.txt is a file; expected a directory/],
  [['eval', 'mobilevit_xxs', '--data', join(dir, 'missing')], /dataset directory not found: .*missing/],
  [['run', 'mobilevit_xxs', '--image', image], /image .*images is a directory; expected a file/],
  [['run', 'mobilevit_xxs', '--image', join(dir, 'missing.jpg')], /image not found: .*missing.jpg/],
  [['run', 'mobilevit_xxs', '--image', aFile], /plain.txt: cannot decode image/],
  [['emit', 'mobilevit_xxs', '--weights', join(dir, 'missing.safetensors'), '-o', join(dir, 'x.onnx')], /missing.safetensors/],
];

// two results files: a row of the committed default sweep, and the same row under another plan
const row = readFileSync(new URL('../../../../results/default.jsonl', import.meta.url), 'utf8').split('\n')[0];
const results = file('a.jsonl', `${row}\n`);
const otherPlan = file('b.jsonl', `${JSON.stringify({ ...JSON.parse(row), plan: 'smoke' })}\n`);
const compare: Case[] = [
  [['compare', results, join(dir, 'missing.jsonl')], /results file not found: .*missing.jsonl/],
  [['compare', results, image], /images is a directory, not a results file/],
  [['compare', results, aFile], /no valid result rows in .*plain.txt/],
  [['compare', results, otherPlan], /cannot compare .*a.jsonl \(plan 'default'\) with .*b.jsonl \(plan 'smoke'\): they are sweeps of different plans/],
  [['compare', results, results, '--alpha', '5%'], /--alpha.*'5%' is not a decimal number/],
  [['compare', results, results, '--min-effect', '2'], /--min-effect.*out of range/],
  [['compare', results], /missing required argument 'new.jsonl'/],
  [['compare', results, results, '--markdown', '/proc/mvbench.md'], /markdown file \(--markdown\) \/proc\/mvbench.md is not writable/],
  [['export', results], /export: give --csv <file> and\/or --markdown/],
  [['export', results, '--markdown', image], /markdown file \(--markdown\) .*images is not writable: it is a directory/],
  [['report', results, '--markdown', '/proc/mvbench.md'], /markdown file \(--markdown\) \/proc\/mvbench.md is not writable/],
];

const fixtures = (): Case[] => {
  const weights = referenceFile('parity/mobilevit_xxs.safetensors');
  return [
    [['parity', 'mobilevit_xxs', '--weights', weights, '--expect', referenceFile('parity/swiftformer_xs.json')], /the fixture is for model 'swiftformer_xs', not 'mobilevit_xxs'/],
    [['parity', 'mobilevit_xxs', '--weights', weights, '--expect', aFile], /cannot read fixture .*plain.txt/],
    [['parity', 'mobilevit_xxs', '--weights', weights, '--expect', file('other.json', '{"model": 3}')], /fixture .*other.json is not a parity record: model/],
  ];
};

describe('bad input exits 2 with a message that says what to fix, and writes nothing', () => {
  const all: [string, Case[] | (() => Case[])][] = [['numbers', numbers], ['specs', specs], ['plans', plans], ['paths', paths], ['compare', compare], ['fixtures', fixtures]];
  for (const [group, cases] of all)
    it(`${group}`, async () => {
      const list = typeof cases === 'function' ? cases() : cases;
      for (const [args, message] of list) {
        const r = await cli(args);
        const what = args.join(' ');
        expect(r.code, `${what}\n${r.stderr}`).toBe(2);
        expect(r.stderr, what).toMatch(message);
        expect(r.stderr, what).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
      }
      expect(existsSync(out), 'a results file was written').toBe(false);
    });

  afterAll(() => {
    // no report, no temporary file, no write probe left in the folder the commands were pointed at
    expect(readdirSync(dir).filter((f) => f.endsWith('.html') || f.endsWith('.tmp') || f.startsWith('.mvbench'))).toEqual([]);
  });
});
