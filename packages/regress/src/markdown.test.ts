import { describe, expect, it } from 'vitest';
import { compare } from './decide.ts';
import { regressMarkdown } from './markdown.ts';

const samples = (ms: number) => Array.from({ length: 40 }, (_, i) => ms * (1 + ((i * 7) % 11) / 500));

describe('regress markdown', () => {
  it('one line per model with ratio, CI, p and the verdict; confirmed regressions counted', () => {
    const slow = compare(samples(10), samples(11.5));
    const md = regressMarkdown(
      [
        { spec: 'mobilevit_xxs', runner: 'ort-node:cpu', threads: 1, verdict: 'regression', first: slow, confirmation: slow },
        { spec: 'mobilenetv2_050', runner: 'ort-node:cpu', threads: 1, verdict: 'same', first: compare(samples(5), samples(5)) },
        { spec: 'swiftformer_xs', runner: 'ort-node:cpu', threads: 1, verdict: 'no-base', message: 'not in the base revision' },
      ],
      { plan: 'regress', base: 'a'.repeat(40), head: 'b'.repeat(40), minEffect: 0.05 },
    );
    expect(md).toMatch(/^## mvbench regress 'regress': bbbbbbbbbb vs aaaaaaaaaa/);
    expect(md).toContain('**1 confirmed regression(s)** above +5.0%');
    expect(md).toMatch(/\| `mobilevit_xxs` \| ort-node:cpu t1 \| 1\.150 \[1\.\d+, 1\.\d+\] \| \+15\.0% \| [\d.e+-]+ \| \*\*REGRESSION\*\* \|  \|/);
    expect(md).toMatch(/\| `mobilenetv2_050` .* \| SAME \|/);
    expect(md).toMatch(/\| `swiftformer_xs` \| ort-node:cpu t1 \| - \| - \| - \| NO-BASE \| not in the base revision \|/);
  });
});
