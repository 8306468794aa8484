import { readFileSync } from 'node:fs';
import { referenceFile } from '@mvbench/fixtures';
import { expect, test } from 'vitest';
import { fixtureInput } from './fixture-input.ts';

const reference = referenceFile;

test('fixtureInput reproduces the parity fixture input digest', () => {
  const { input } = JSON.parse(readFileSync(reference('parity/mobilevit_xxs.json'), 'utf8'));
  const x = fixtureInput(input.shape);
  expect(x.length).toBe(input.digest.count);
  expect(Array.from(x.subarray(0, 8))).toEqual(input.digest.first8);
  expect(x[x.length - 1]).toBe(input.digest.last);
  const sum = x.reduce((a, v) => a + v, 0);
  const sumSq = x.reduce((a, v) => a + v * v, 0);
  expect(Math.abs(sum - input.digest.sum) / Math.abs(input.digest.sum)).toBeLessThan(1e-9);
  expect(Math.abs(sumSq - input.digest.sum_sq) / input.digest.sum_sq).toBeLessThan(1e-9);
});

test('fixtureInput depends on the seed and stays in [-1, 1)', () => {
  const a = fixtureInput([2, 5]);
  const b = fixtureInput([2, 5], 7);
  expect(a).not.toEqual(b);
  for (const v of [...a, ...b]) expect(v >= -1 && v < 1).toBe(true);
});
