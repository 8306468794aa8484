/**
 * `mvbench eval` end to end: on a tiny labelled folder written here, its top-1/top-5 counts equal what the
 * predictions of `mvbench run --image` on the same images imply, on two runners; a broken image is reported, not
 * counted; a dataset that does not fit the model's head is a user error.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceFile } from '@mvbench/fixtures';
import { cli } from './cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-eval-'));
const weights = referenceFile('parity/mobilevit_xxs.safetensors');
const IMAGES = ['a.png', 'b.png', 'c.jpg', 'd.png', 'e.webp', 'f.png'];

/** noise images of different sizes and formats (non-square ones exercise the resize + centre crop) */
async function writeImage(file: string, i: number): Promise<void> {
  const [w, h] = [280 + 37 * i, 300 - 11 * i];
  const px = new Uint8Array(w * h * 3);
  let s = 1 + i;
  for (let j = 0; j < px.length; j++) px[j] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).toFile(file);
}

beforeAll(async () => {
  await Promise.all(IMAGES.map((f, i) => writeImage(join(dir, f), i)));
  writeFileSync(join(dir, 'broken.png'), 'not an image');
});

async function predictions(runner: string): Promise<number[][]> {
  const r = await cli(['run', 'mobilevit_xxs', '--weights', weights, '--runner', runner, '--json', '--image', ...IMAGES.map((f) => join(dir, f))]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).images.map((x: { top5: { index: number }[] }) => x.top5.map((t) => t.index));
}

describe('mvbench eval', () => {
  for (const runner of ['ort-node:cpu', 'tfjs:wasm'])
    it(`counts top-1/top-5 as mvbench run predicts them, on ${runner}`, async () => {
      const top5 = await predictions(runner);
      // per image a label that is: its top-1, in its top-5 only, or outside its top-5
      const labels = top5.map((t, i) => (i % 3 === 0 ? t[0] : i % 3 === 1 ? t[3] : [...Array(1000).keys()].find((k) => !t.includes(k))!));
      const file = join(dir, `labels-${runner.replace(':', '-')}.txt`);
      writeFileSync(file, [...IMAGES.map((f, i) => `${f} ${labels[i]}`), 'broken.png 1'].join('\n') + '\n');
      const r = await cli(['eval', 'mobilevit_xxs', '--weights', weights, '--data', dir, '--labels', file, '--runner', runner, '--batch', '4', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ images: 6, correct1: 2, correct5: 4, runner });
      expect(out.top1).toBeCloseTo(100 / 3, 10);
      expect(out.skipped).toEqual([{ file: expect.stringMatching(/broken\.png$/), reason: expect.any(String) }]);
    });

  it('several runners in one command: one result each, the images decoded once', async () => {
    const file = join(dir, 'labels-ort-node-cpu.txt'); // written by the ort-node test above
    const r = await cli(['eval', 'mobilevit_xxs', '--weights', weights, '--data', dir, '--labels', file, '--runner', 'ort-node:cpu,tfjs:wasm', '--batch', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.map((x: { runner: string }) => x.runner)).toEqual(['ort-node:cpu', 'tfjs:wasm']);
    for (const x of out) expect(x).toMatchObject({ images: 6, correct1: 2, correct5: 4 });
  });

  it('a dataset that does not fit the head, or has no images, is a user error naming it', async () => {
    const folder = join(dir, 'folder');
    for (const c of ['cat', 'dog']) {
      mkdirSync(join(folder, c), { recursive: true });
      await writeImage(join(folder, c, 'x.png'), 1);
    }
    const mismatch = await cli(['eval', 'mobilevit_xxs', '--data', folder]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/2 classes[\s\S]*1000/);
    const empty = mkdtempSync(join(tmpdir(), 'mvbench-empty-'));
    const none = await cli(['eval', 'mobilevit_xxs', '--data', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(new RegExp(`no images.*${empty}|${empty}.*no images`, 'i'));
  });
});
