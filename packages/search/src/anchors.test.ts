import { parseSpace } from '@mvbench/space';
import { describe, expect, it } from 'vitest';
import { anchorCandidates, improvements } from './anchors.ts';
import type { Evaluated } from './search.ts';

const space = parseSpace({ mobilevitv2: {}, swiftformer: {} }, 'test');
const at = (spec: string, ms: number, top1: number, o: Partial<Evaluated> = {}): Evaluated => ({
  candidate: { choice: anchorCandidates(space, ['mobilevitv2_050'])[0].choice, spec, generation: 0 }, objectives: [ms, 100 - top1], violation: 0, complete: true, measured: true, ...o,
});

describe('anchors', () => {
  it('default to the ids each family space starts from', () => {
    expect(anchorCandidates(space).map((c) => c.spec)).toEqual(['mobilevitv2_050', 'swiftformer_xs', 'swiftformer_s']);
    expect(anchorCandidates(space, ['mobilevitv2_100'])[0]).toMatchObject({ spec: 'mobilevitv2_100', generation: -1, choice: { id: 'mobilevitv2_100', knobs: {} } });
  });

  it('a found model beats an anchor only when faster at equal or better top-1, both measured, and not canonical itself', () => {
    const anchor = at('mobilevitv2_050', 10, 40);
    const faster = at('mobilevitv2_050:width=0.625', 8, 40);
    const lessAccurate = at('mobilevitv2_050:expand=3', 7, 39.5);
    const predictedOnly = at('mobilevitv2_050:ffn=1.5', 6, 45, { measured: false });
    const canonical = at('swiftformer_xs', 5, 60);
    const found = improvements([faster, lessAccurate, predictedOnly, canonical], [anchor, at('swiftformer_s', 1, 10, { violation: 1 })], ['latency', 'accuracy']);
    expect(found.map((i) => [i.found.candidate.spec, i.anchor.candidate.spec])).toEqual([['mobilevitv2_050:width=0.625', 'mobilevitv2_050']]);
    expect(improvements([faster], [anchor], ['params', 'accuracy'])).toEqual([]);
  });
});
