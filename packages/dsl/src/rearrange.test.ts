import { describe, expect, it } from 'vitest';
import { compilePattern } from './rearrange.ts';

describe('rearrange patterns', () => {
  it('compiles MobileViT unfold to reshape -> transpose -> reshape', () => {
    const c = compilePattern('b d (nh ph) (nw pw) -> (b ph pw) (nh nw) d', [1, 64, 32, 32], { ph: 2, pw: 2 });
    expect(c.expanded).toEqual([1, 64, 16, 2, 16, 2]);
    expect(c.perm).toEqual([0, 3, 5, 2, 4, 1]);
    expect(c.outShape).toEqual([4, 256, 64]);
  });

  it('skips steps that are not needed', () => {
    const c = compilePattern('b c h w -> b h w c', [1, 8, 4, 4]);
    expect([c.expanded, c.output]).toEqual([undefined, undefined]);
    expect(c.perm).toEqual([0, 2, 3, 1]);
    const r = compilePattern('b c h w -> b c (h w)', [1, 8, 4, 4]);
    expect([r.expanded, r.perm, r.output]).toEqual([undefined, undefined, [1, 8, 16]]);
  });

  it('reports the pattern and the input shape when sizes do not fit', () => {
    expect(() => compilePattern('b d (nh ph) w -> b d nh ph w', [1, 4, 30, 8], { ph: 4 })).toThrow(
      /rearrange 'b d \(nh ph\) w -> b d nh ph w' on input \[1, 4, 30, 8\]: 30 is not divisible by 4/,
    );
    expect(() => compilePattern('a b -> a c', [2, 3])).toThrow(/same axes/);
  });
});
