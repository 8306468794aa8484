import { describe, expect, it } from 'vitest';
import { evaluateClaims, type ClaimsReport } from './evaluate.ts';
import { powerFit, tokenScaling } from './scaling.ts';
import { claimRow, claimsRows, scalingRows } from './testing.ts';
import { complexityVerdict, overheadVerdict, speedVerdict } from './verdict.ts';

const iv = (value: number, low: number, high: number) => ({ value, low, high });
const lines = (r: ClaimsReport, id: string) => r.results.find((x) => x.claim.id === id)!.lines;

describe('verdict rules', () => {
  it('speed: holds from 0.8 x the paper figure, holds weaker above 1, does not hold across 1, reversed below', () => {
    expect(speedVerdict(iv(3, 2.57, 3.3), 3.2).verdict).toBe('holds');
    expect(speedVerdict(iv(3, 2.55, 3.3), 3.2).verdict).toBe('holds weaker');
    expect(speedVerdict(iv(1.1, 1.01, 1.2), null).verdict).toBe('holds');
    expect(speedVerdict(iv(1.1, 0.99, 1.2), null).verdict).toBe('does not hold');
    expect(speedVerdict(iv(0.9, 0.85, 0.99), 2).verdict).toBe('reversed');
  });
  it('overhead: cheap up to +10% (CI high), costly beyond +25% (CI low)', () => {
    expect(overheadVerdict(iv(1.05, 1.03, 1.1)).verdict).toBe('holds');
    expect(overheadVerdict(iv(1.2, 1.18, 1.22)).verdict).toBe('holds weaker');
    expect(overheadVerdict(iv(1.3, 1.26, 1.34)).verdict).toBe('does not hold');
  });
  it('complexity: mhsa >= 1.5 and the others <= 1.25 holds; overlapping intervals do not', () => {
    const lin = iv(1, 0.9, 1.1);
    expect(complexityVerdict({ mhsa: iv(1.9, 1.6, 2.1), separable: lin, additive: lin }).verdict).toBe('holds');
    expect(complexityVerdict({ mhsa: iv(1.4, 1.2, 1.6), separable: lin, additive: lin }).verdict).toBe('holds weaker');
    expect(complexityVerdict({ mhsa: iv(1.1, 0.95, 1.3), separable: lin, additive: lin }).verdict).toBe('does not hold');
    expect(complexityVerdict({ mhsa: iv(0.7, 0.6, 0.8), separable: lin, additive: lin }).verdict).toBe('reversed');
  });
});

describe('claims from rows', () => {
  const report = evaluateClaims([...claimsRows(), ...scalingRows()]);

  it('judges each pair per runner setting with the ratio of medians and its CI', () => {
    const [v2] = lines(report, 'v2-vs-v1');
    expect(v2).toMatchObject({ setting: 'ort-node:cpu t1', compared: 'mobilevitv2_075 vs mobilevit_xs', verdict: 'holds' });
    expect(v2.ratio!.value).toBeCloseTo(3.1, 5);
    expect(v2.ratio!.low).toBeLessThan(3.1);
    expect(v2.ratio!.high).toBeGreaterThan(3.1);
    expect(v2.top1.map((t) => [t.spec, t.value, t.kind])).toEqual([['mobilevitv2_075', 75.6, 'published'], ['mobilevit_xs', 74.8, 'published']]);
    expect(lines(report, 'swift-vs-v2')[0].verdict).toBe('holds weaker');
    expect(lines(report, 'configB').filter((l) => l.setting === 'ort-node:cpu t1').map((l) => l.verdict)).toEqual(['does not hold', 'reversed', 'holds']);
    expect(lines(report, 'all-stages').filter((l) => l.setting === 'ort-node:cpu t1').map((l) => l.verdict)).toEqual(['holds weaker', 'holds']);
  });

  it('names the missing cells and the command that measures them', () => {
    const webV2 = lines(report, 'v2-vs-v1').find((l) => l.setting === 'ort-web:wasm t1')!;
    expect(webV2).toMatchObject({ verdict: 'not measured', why: 'mobilevitv2_075 is not in the file' });
    const missing = report.results.find((r) => r.claim.id === 'vit-vs-cnn')!.missing;
    expect(missing).toContainEqual({ cells: ['mobilenetv2_100|ort-web:wasm t1', 'mobilevit_xs|ort-web:wasm t1'], command: 'pnpm mvbench sweep --models mobilenetv2_100,mobilevit_xs --runner ort-web:wasm --threads 1' });
    const none = evaluateClaims([claimRow('mobilevit_xs', 20)]);
    expect(none.judged).toBe(0);
    expect(none.results.find((r) => r.claim.id === 'complexity')!.missing[0].command).toBe('pnpm mvbench sweep --plan token-scaling');
  });

  it('fits the token scaling: k^2 for mhsa, k for the linear kinds, from the profile or minus attention=none', () => {
    const s = tokenScaling(scalingRows())!;
    const e = (setting: string, kind: string) => s.fits.find((f) => f.setting === setting && f.kind === kind && f.series === 'attention blocks')!.exponent;
    for (const setting of ['ort-node:cpu t1', 'ort-web:wasm t1']) {
      expect(e(setting, 'mhsa').value).toBeGreaterThan(1.9);
      expect(e(setting, 'separable').value).toBeCloseTo(1, 5);
    }
    expect(s.points.filter((p) => p.setting === 'ort-web:wasm t1' && p.series === 'attention blocks').every((p) => p.source === 'minus attention=none')).toBe(true);
    // time = 0.02 k + 0.002 k^2: the quadratic term overtakes at k = 10, (sqrt(10) x 16) px
    expect(s.crossovers[0]).toMatchObject({ setting: 'ort-node:cpu t1', resolution: expect.closeTo(Math.sqrt(10) * 16, 3) });
    expect(s.crossovers[0].note).toBe('quadratic term > linear above 10 tokens (51 px), below the measured range');
    expect(lines(report, 'complexity').map((l) => [l.setting, l.verdict])).toEqual([['ort-node:cpu t1', 'holds'], ['ort-web:wasm t1', 'holds']]);
  });

  it("gives the exponent's t interval: wide for scattered points, tight for a clean power law", () => {
    const noisy = powerFit([64, 144, 256, 400].map((k, i) => ({ tokens: k, ms: k ** 1.5 * [1, 1.4, 0.7, 1.2][i] })));
    expect(noisy.exponent.low).toBeLessThan(1.3);
    expect(noisy.exponent.high).toBeGreaterThan(1.7);
    const clean = powerFit([64, 144, 256, 400].map((k) => ({ tokens: k, ms: 3 * k ** 1.5 })));
    expect(clean.exponent.high - clean.exponent.low).toBeLessThan(1e-6);
    expect(clean.to.ms).toBeCloseTo(3 * 400 ** 1.5, 3);
  });
});
