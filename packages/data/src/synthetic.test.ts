import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import type { Preprocessing } from './preprocess.ts';
import { preprocessingFor } from './preprocess.ts';
import { SYNTHETIC_CLASSES, openSynthetic } from './synthetic.ts';

const at = (side: number): Preprocessing => ({ resize: side, crop: side, interpolation: 'bicubic', mean: [0, 0, 0], std: [1, 1, 1], source: 'test' });
const digest = (t: Float32Array): string => createHash('sha256').update(new Uint8Array(t.buffer)).digest('hex');

async function loadAll(ds: Dataset, n: number, prep: Preprocessing): Promise<Float32Array[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => ds.item(i).load(prep)));
}

/** energy (squared, so that edges outweigh noise) of the differences along x, y and both diagonals, as fractions, plus their total: orientation and texture */
function gradients(t: Float32Array, s: number): number[] {
  const e = [0, 0, 0, 0];
  for (let c = 0; c < 3; c++)
    for (let y = 0; y + 1 < s; y++)
      for (let x = 0; x + 1 < s; x++) {
        const v = (yy: number, xx: number): number => t[c * s * s + yy * s + xx];
        e[0] += (v(y, x + 1) - v(y, x)) ** 2;
        e[1] += (v(y + 1, x) - v(y, x)) ** 2;
        e[2] += (v(y + 1, x + 1) - v(y, x)) ** 2;
        e[3] += (v(y + 1, x) - v(y, x + 1)) ** 2;
      }
  const total = e.reduce((a, b) => a + b, 0);
  return [...e.map((v) => v / total), total / (3 * s * s)];
}

const meanColour = (t: Float32Array, s: number): number[] =>
  [0, 1, 2].map((c) => t.subarray(c * s * s, (c + 1) * s * s).reduce((a, b) => a + b, 0) / (s * s));

/** accuracy of the nearest class centroid (fitted on `train`, scored on `test`) */
function nearestCentroid(train: number[][], trainLabels: number[], test: number[][], testLabels: number[], k: number): number {
  const dims = train[0].length;
  const mu = Array.from({ length: dims }, (_, d) => train.reduce((a, f) => a + f[d], 0) / train.length);
  const sd = Array.from({ length: dims }, (_, d) => Math.sqrt(train.reduce((a, f) => a + (f[d] - mu[d]) ** 2, 0) / train.length) || 1);
  const z = (f: number[]): number[] => f.map((v, d) => (v - mu[d]) / sd[d]);
  const centroids = Array.from({ length: k }, (_, c) => {
    const members = train.filter((_, i) => trainLabels[i] === c).map(z);
    return Array.from({ length: dims }, (_, d) => members.reduce((a, f) => a + f[d], 0) / members.length);
  });
  const predict = (f: number[]): number => {
    const zf = z(f);
    const dist = centroids.map((m) => m.reduce((a, v, d) => a + (v - zf[d]) ** 2, 0));
    return dist.indexOf(Math.min(...dist));
  };
  return test.filter((f, i) => predict(f) === testLabels[i]).length / test.length;
}

describe('synthetic', () => {
  it('is deterministic in (seed, split, index) and balanced over its classes', async () => {
    const a = openSynthetic({ split: 'train', size: 100 });
    const b = openSynthetic({ split: 'train', size: 100 });
    const other = openSynthetic({ split: 'train', size: 100, seed: 1 });
    expect(a.classes).toEqual([...SYNTHETIC_CLASSES]);
    expect(a.description).toBe('synthetic shapes train (100 images, 10 classes, seed 0)');
    for (const i of [0, 17, 99]) {
      expect(digest(await a.item(i).load(at(24)))).toBe(digest(await b.item(i).load(at(24))));
      expect(digest(await a.item(i).load(at(24)))).not.toBe(digest(await other.item(i).load(at(24))));
    }
    const counts = new Array(10).fill(0);
    for (let i = 0; i < a.size; i++) counts[a.item(i).label]++;
    expect(counts).toEqual(new Array(10).fill(10));
    expect(openSynthetic({ classes: 3, size: 6 }).classes).toEqual(['disc', 'square', 'horizontal-stripes']);
  });

  it('renders at any resolution through the shared crop and normalisation', async () => {
    const ds = openSynthetic({ size: 4 });
    const p = preprocessingFor('mobilenetv2', 72); // resize 82, crop 72, ImageNet mean/std
    const t = await ds.item(0).load(p);
    expect(t.length).toBe(3 * 72 * 72);
    expect(Math.min(...t)).toBeGreaterThanOrEqual((0 - 0.485) / 0.229 - 1e-5);
    expect(Math.max(...t)).toBeLessThanOrEqual((1 - 0.406) / 0.225 + 1e-5);
    expect((await ds.item(0).load(at(17))).length).toBe(3 * 17 * 17);
  });

  it('keeps the splits disjoint', async () => {
    const n = 300;
    const train = new Set((await loadAll(openSynthetic({ split: 'train', size: n }), n, at(16))).map(digest));
    const test = (await loadAll(openSynthetic({ split: 'test', size: n }), n, at(16))).map(digest);
    expect(train.size).toBe(n);
    expect(new Set(test).size).toBe(n);
    expect(test.filter((d) => train.has(d))).toEqual([]);
  });

  it('has classes told apart by shape and texture, not by colour', async () => {
    const s = 32;
    const train = openSynthetic({ split: 'train', size: 600 });
    const test = openSynthetic({ split: 'test', size: 300 });
    const [xs, ts] = [await loadAll(train, train.size, at(s)), await loadAll(test, test.size, at(s))];
    const labels = (ds: Dataset): number[] => Array.from({ length: ds.size }, (_, i) => ds.item(i).label);

    // stripes show in the direction of their differences
    const mean = (c: number, d: number): number => {
      const own = xs.filter((_, i) => train.item(i).label === c).map((t) => gradients(t, s)[d]);
      return own.reduce((a, b) => a + b, 0) / own.length;
    };
    const h = SYNTHETIC_CLASSES.indexOf('horizontal-stripes');
    const v = SYNTHETIC_CLASSES.indexOf('vertical-stripes');
    expect(mean(h, 1)).toBeGreaterThan(1.5 * mean(h, 0));
    expect(mean(v, 0)).toBeGreaterThan(1.5 * mean(v, 1));

    const byShape = nearestCentroid(xs.map((t) => gradients(t, s)), labels(train), ts.map((t) => gradients(t, s)), labels(test), 10);
    const byColour = nearestCentroid(xs.map((t) => meanColour(t, s)), labels(train), ts.map((t) => meanColour(t, s)), labels(test), 10);
    expect(byShape).toBeGreaterThan(0.3);
    expect(byColour).toBeLessThan(0.2);
  });

  it('rejects bad options', () => {
    expect(() => openSynthetic({ classes: 11 })).toThrow(/2\.\.10/);
    expect(() => openSynthetic({ size: 0 })).toThrow(/size/);
  });
});
