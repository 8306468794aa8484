import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { pilResize } from './pil-resample.ts';
import { decodeImage, fromPixels, geometry, loadImage, preprocessingFor, type Preprocessing } from './preprocess.ts';

const dir = mkdtempSync(join(tmpdir(), 'mvbench-preprocess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
/** [0, 1] pixels, no resize when the shorter side already is `resize` */
const plain = (resize: number, crop: number): Preprocessing => ({ resize, crop, interpolation: 'bicubic', mean: [0, 0, 0], std: [1, 1, 1], source: 'test' });

/** HWC image of `bg` with `blocks` painted over it */
function canvas(w: number, h: number, bg: number[], blocks: { x0: number; y0: number; x1: number; y1: number; rgb: number[] }[] = []): Uint8Array {
  const a = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const b = blocks.find((k) => x >= k.x0 && x < k.x1 && y >= k.y0 && y < k.y1);
      a.set(b ? b.rgb : bg, (y * w + x) * 3);
    }
  return a;
}

const raw = (rgb: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4 = 3) => sharp(rgb, { raw: { width, height, channels } });
/** value at channel c, row y, column x of a CHW [3, s, s] tensor */
const at = (t: Float32Array, s: number, c: number, y: number, x: number): number => t[c * s * s + y * s + x];

describe('preprocessingFor', () => {
  it.each([
    // resize = floor(res / crop_pct) (timm), int(256 / 224 * res) (SwiftFormer); computed by hand
    ['mobilevit', 256, 284, [0, 0, 0], [1, 1, 1]], // 256 / 0.9 = 284.44
    ['mobilevit', 320, 355, [0, 0, 0], [1, 1, 1]], // 355.56
    ['mobilevit', 224, 248, [0, 0, 0], [1, 1, 1]], // 248.89
    ['mobilevitv2', 256, 288, [0, 0, 0], [1, 1, 1]], // 256 / 0.888 = 288.29
    ['mobilevitv2', 224, 252, [0, 0, 0], [1, 1, 1]], // 252.25
    ['swiftformer', 224, 256, IMAGENET_MEAN, IMAGENET_STD], // 256.0
    ['swiftformer', 256, 292, IMAGENET_MEAN, IMAGENET_STD], // 292.57
    ['swiftformer', 32, 32, IMAGENET_MEAN, IMAGENET_STD], // inputs of 32 px are not resized
    ['mobilenetv2', 224, 256, IMAGENET_MEAN, IMAGENET_STD], // 224 / 0.875 = 256
    ['mobilenetv2', 192, 219, IMAGENET_MEAN, IMAGENET_STD], // 219.43
  ] as const)('%s at %i: resize %i', (id, res, resize, mean, std) => {
    const p = preprocessingFor(id, res);
    expect(p).toMatchObject({ resize, crop: res, interpolation: 'bicubic', mean, std });
    expect(p.source).toMatch(/timm|SwiftFormer/);
  });

  it('names the known families for an unknown model', () => {
    expect(() => preprocessingFor('resnet50', 224)).toThrow(/mobilevit, mobilevitv2, swiftformer, mobilenetv2/);
    expect(() => preprocessingFor('mobilevitv3', 224)).toThrow(/no reference preprocessing for family 'mobilevitv3'/);
    expect(() => preprocessingFor('mobilevit_xxs', 224)).toThrow(/family 'mobilevit_xxs'/); // a family, not an id
  });
});

describe('geometry', () => {
  it('resizes the shorter side, truncates the longer, centres the crop with round-half-even', () => {
    const swift = preprocessingFor('swiftformer', 224);
    // 256 * 500 / 375 = 341.33 -> 341; (341 - 224) / 2 = 58.5 -> 58 (even); (256 - 224) / 2 = 16
    expect(geometry(500, 375, swift)).toEqual({ width: 341, height: 256, left: 58, top: 16 });
    expect(geometry(375, 500, swift)).toEqual({ width: 256, height: 341, left: 16, top: 58 });
    expect(geometry(61, 40, plain(40, 32))).toMatchObject({ width: 61, height: 40, left: 14, top: 4 }); // 14.5 -> 14
    expect(geometry(63, 40, plain(40, 32))).toMatchObject({ left: 16 }); // 15.5 -> 16
  });

  it('refuses a crop larger than the resized image', () => {
    expect(() => geometry(10, 10, plain(8, 9))).toThrow(/crop 9 is larger/);
  });
});

describe('fromPixels and loadImage', () => {
  it('crops at the torchvision offsets: a marker at the crop corner lands at (0, 0) in CHW, RGB order', async () => {
    // 61 x 40, no resize: left = round(14.5) = 14, top = 4
    const img = canvas(61, 40, [0, 0, 0], [
      { x0: 14, y0: 4, x1: 15, y1: 5, rgb: [255, 0, 0] },
      { x0: 45, y0: 35, x1: 46, y1: 36, rgb: [0, 0, 255] },
      { x0: 13, y0: 4, x1: 14, y1: 5, rgb: [0, 255, 0] }, // just outside the crop
    ]);
    const t = await fromPixels(img, 61, 40, plain(40, 32));
    expect([0, 1, 2].map((c) => at(t, 32, c, 0, 0))).toEqual([1, 0, 0]);
    expect([0, 1, 2].map((c) => at(t, 32, c, 31, 31))).toEqual([0, 0, 1]);
    expect(t.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('crops a portrait image at top = round((63 - 32) / 2) = 16', async () => {
    const img = canvas(40, 63, [0, 0, 0], [{ x0: 4, y0: 16, x1: 5, y1: 17, rgb: [0, 255, 0] }]);
    const t = await fromPixels(img, 40, 63, plain(40, 32));
    expect(at(t, 32, 1, 0, 0)).toBe(1);
  });

  // 400 x 300: background B, a 200 x 150 block A in the middle. Far enough (> the cubic's reach) from the block's edges,
  // the resized image holds exactly A or B.
  const A = [200, 100, 50];
  const B = [30, 60, 90];
  const blockImage = (): Uint8Array => canvas(400, 300, B, [{ x0: 100, y0: 75, x1: 300, y1: 225, rgb: A }]);

  it.each(['mobilevit', 'mobilevitv2', 'swiftformer', 'mobilenetv2'])(
    '%s: a PNG normalises to (x / 255 - mean) / std per channel; centre A, corner B',
    async (id) => {
      const file = join(dir, `block-${id}.png`);
      await raw(blockImage(), 400, 300).png().toFile(file);
      const res = id.startsWith('mobilevit') ? 256 : 224;
      const p = preprocessingFor(id, res);
      const t = await loadImage(file, p);
      expect(t.length).toBe(3 * res * res);
      for (let c = 0; c < 3; c++) {
        expect(at(t, res, c, res / 2, res / 2)).toBeCloseTo((A[c] / 255 - p.mean[c]) / p.std[c], 6);
        expect(at(t, res, c, 0, 0)).toBeCloseTo((B[c] / 255 - p.mean[c]) / p.std[c], 6);
      }
    },
  );

  it('mobilevit at 256: the block edges land where geometry says', async () => {
    // resize 284: 400 x 300 -> 378 x 284 (scale 0.9467), crop left 61, top 14.
    // Block A in crop coordinates: x in [33.5, 222.5), y in [57, 199); the widened cubic reaches ~2.1 px.
    const t = await fromPixels(blockImage(), 400, 300, { ...preprocessingFor('mobilevit', 256) });
    const colour = (y: number, x: number): number[] => [0, 1, 2].map((c) => Math.round(at(t, 256, c, y, x) * 255));
    for (const [y, x] of [[61, 37], [61, 218], [195, 37], [195, 218], [128, 128]]) expect(colour(y, x)).toEqual(A);
    for (const [y, x] of [[53, 128], [203, 128], [128, 29], [128, 227], [0, 0], [255, 255]]) expect(colour(y, x)).toEqual(B);
  });

  it('shrinks within a grey level of Pillow on average (libvips cubic vs PIL bicubic)', async () => {
    let seed = 7;
    const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
    const smooth = new Uint8Array(500 * 375 * 3).map((_, i) => {
      const x = Math.floor(i / 3) % 500, y = Math.floor(i / 1500), c = i % 3;
      return Math.round(128 + 60 * Math.sin(x / 7 + c) + 50 * Math.cos(y / 11 - c) + 10 * rand());
    });
    const noise = new Uint8Array(500 * 375 * 3).map(() => Math.floor(256 * rand()));
    const p = plain(256, 256);
    for (const [img, maxDiff] of [[smooth, 3], [noise, 12]] as const) {
      const g = geometry(500, 375, p);
      const ref = pilResize(img, 500, 375, g.width, g.height, 'bicubic');
      const t = await fromPixels(img, 500, 375, p);
      let sum = 0, max = 0;
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 256; y++)
          for (let x = 0; x < 256; x++) {
            const d = Math.abs(Math.round(at(t, 256, c, y, x) * 255) - ref[(y * g.width + x + g.left) * 3 + c]);
            sum += d;
            max = Math.max(max, d);
          }
      expect(sum / (3 * 256 * 256)).toBeLessThan(0.6);
      expect(max).toBeLessThanOrEqual(maxDiff);
    }
  });

  it('enlarges exactly as PIL does (CIFAR 32 -> 284)', async () => {
    const img = new Uint8Array(32 * 32 * 3).map((_, i) => (i * 37) % 251);
    const p = { ...preprocessingFor('mobilevit', 256) };
    const t = await fromPixels(img, 32, 32, p);
    const ref = pilResize(img, 32, 32, 284, 284, 'bicubic');
    const top = 14; // round((284 - 256) / 2)
    for (const [c, y, x] of [[0, 0, 0], [1, 100, 37], [2, 255, 255]]) expect(at(t, 256, c, y, x)).toBe(Math.fround(ref[((y + top) * 284 + x + top) * 3 + c] / 255));
  });

  it('expands grayscale to three equal channels', async () => {
    const file = join(dir, 'grey.png');
    await raw(new Uint8Array(16 * 12).fill(77), 16, 12, 1).toColourspace('b-w').png().toFile(file);
    expect((await sharp(file).metadata()).channels).toBe(1);
    const { rgb, width, height } = await decodeImage(file);
    expect([width, height, rgb.length]).toEqual([16, 12, 16 * 12 * 3]);
    expect(new Set(rgb)).toEqual(new Set([77]));
  });

  it('drops alpha without compositing (PIL convert("RGB")): grey + alpha and RGBA', async () => {
    const ga = join(dir, 'grey-alpha.png');
    await raw(new Uint8Array(8 * 8 * 2).map((_, i) => (i % 2 === 0 ? 90 : 0)), 8, 8, 2).toColourspace('b-w').png().toFile(ga);
    expect((await sharp(ga).metadata()).channels).toBe(2);
    expect(new Set((await decodeImage(ga)).rgb)).toEqual(new Set([90]));
    const rgba = join(dir, 'rgba.png');
    await raw(new Uint8Array(8 * 8 * 4).map((_, i) => [100, 150, 200, 128][i % 4]), 8, 8, 4).png().toFile(rgba);
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    const t = await loadImage(rgba, plain(8, 8));
    expect([0, 1, 2].map((c) => Math.round(at(t, 8, c, 3, 3) * 255))).toEqual([100, 150, 200]);
  });

  it('decodes JPEG (within JPEG loss) and lossless WebP (exactly)', async () => {
    const img = canvas(64, 48, [200, 100, 50]);
    const jpg = join(dir, 'solid.JPG');
    const webp = join(dir, 'solid.webp');
    await raw(img, 64, 48).jpeg({ quality: 95 }).toFile(jpg);
    await raw(img, 64, 48).webp({ lossless: true }).toFile(webp);
    const j = await decodeImage(jpg);
    expect(Math.max(...Array.from(j.rgb, (v, i) => Math.abs(v - img[i])))).toBeLessThanOrEqual(3);
    expect(new Uint8Array((await decodeImage(webp)).rgb)).toEqual(img);
  });

  it('ignores the EXIF orientation, as PIL and torchvision do', async () => {
    const file = join(dir, 'rotated.jpg');
    await raw(canvas(60, 40, [0, 0, 0], [{ x0: 30, y0: 0, x1: 60, y1: 40, rgb: [255, 255, 255] }]), 60, 40)
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toFile(file);
    expect((await sharp(file).metadata()).orientation).toBe(6);
    const { rgb, width, height } = await decodeImage(file);
    expect([width, height]).toEqual([60, 40]);
    expect(rgb[(20 * 60 + 5) * 3]).toBeLessThan(10);
    expect(rgb[(20 * 60 + 55) * 3]).toBeGreaterThan(245);
  });

  it('reports a missing file and an undecodable one with their own codes', async () => {
    await expect(loadImage(join(dir, 'nope.png'), plain(8, 8))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    const bad = join(dir, 'bad.jpg');
    writeFileSync(bad, 'not an image');
    await expect(loadImage(bad, plain(8, 8))).rejects.toMatchObject({ code: 'CORRUPT_FILE', message: expect.stringContaining(bad) });
  });

  it('checks the pixel count', async () => {
    await expect(fromPixels(new Uint8Array(10), 2, 2, plain(2, 2))).rejects.toThrow(/expected 2x2x3 = 12 bytes/);
  });
});
