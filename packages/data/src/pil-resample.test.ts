import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pilResize } from './pil-resample.ts';

/** the same pattern in Python: (x*37 + y*91 + c*53 + ((x*y) % 17)*11) % 256 */
function pattern(w: number, h: number): Uint8Array {
  const a = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) a[(y * w + x) * 3 + c] = (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 11) % 256;
  return a;
}

const sha16 = (a: Uint8Array): string => createHash('sha256').update(a).digest('hex').slice(0, 16);

describe('pilResize', () => {
  // Pillow 12.3: np.asarray(Image.fromarray(pattern(w, h)).resize((ow, oh), Image.BICUBIC | Image.BILINEAR)).tobytes()
  const PILLOW = [
    { w: 7, h: 5, ow: 16, oh: 11, filter: 'bicubic', sha: 'c81d59bd632cfd8a' },
    { w: 37, h: 23, ow: 70, oh: 43, filter: 'bicubic', sha: '0c24ded8691de401' },
    { w: 37, h: 23, ow: 70, oh: 43, filter: 'bilinear', sha: 'b96c54f1b9b056b6' },
    { w: 50, h: 40, ow: 29, oh: 23, filter: 'bicubic', sha: '099523d7434fa9fe' },
    { w: 50, h: 40, ow: 29, oh: 23, filter: 'bilinear', sha: '259421c8fdd96754' },
  ] as const;

  it.each(PILLOW)('$w x $h -> $ow x $oh $filter is bit-identical to Pillow', ({ w, h, ow, oh, filter, sha }) => {
    expect(sha16(pilResize(pattern(w, h), w, h, ow, oh, filter))).toBe(sha);
  });

  it('enlarges a single bright pixel centre-aligned, with the cubic overshoot clipped, as Pillow does', () => {
    const row = new Uint8Array(8 * 3).fill(10);
    row.fill(240, 9, 12);
    const out = pilResize(row, 8, 1, 16, 1, 'bicubic');
    expect(Array.from(out.filter((_, i) => i % 3 === 0))).toEqual([10, 10, 10, 5, 0, 62, 209, 209, 62, 0, 5, 10, 10, 10, 10, 10]);
  });
});
