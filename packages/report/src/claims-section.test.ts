import { describe, expect, it } from 'vitest';
import { claimsRows, scalingRows } from '@mvbench/claims/testing';
import { buildReport } from './html.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { META } from './test-util.ts';

describe('the claims section', () => {
  const html = buildReport([...claimsRows(), ...scalingRows()], META);

  it('opens the report, before every figure, and is first in the table of contents', () => {
    const at = html.indexOf('<section id="claims">');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('<section id="fig-'));
    expect(html).toMatch(/<nav><a href="#claims">The papers&#39; claims<\/a> · <a href="#fig-token-scaling">/);
  });

  it('shows each verdict beside the measured ratio, and the command for missing cells', () => {
    const claims = html.slice(html.indexOf('<section id="claims">'), html.indexOf('</section>', html.indexOf('<section id="claims">')));
    expect(claims).toContain('<td class="verdict v-holds">holds</td>');
    expect(claims).toContain('<td class="verdict v-holds-weaker">holds weaker</td>');
    expect(claims).toContain('<td class="verdict v-reversed">reversed</td>');
    expect(claims).toMatch(/mobilevitv2_075 vs mobilevit_xs<\/td><td class="nw">3\.10x \[/);
    expect(claims).toContain('<code>pnpm mvbench sweep --models mobilenetv2_100,mobilevit_xs --runner ort-web:wasm --threads 1</code>');
  });

  it('is left out when no claim can be judged (rows without samples)', () => {
    expect(buildReport(syntheticRows(), META)).not.toContain('<section id="claims">');
  });
});
