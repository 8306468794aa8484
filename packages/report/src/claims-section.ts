/**
 * The claims section, first in a report whose rows allow a verdict: each claim of the papers beside the measured
 * ratio per runner setting, top-1 with kind and source, and the verdict (@mvbench/claims decides; this only draws).
 */
import type { ClaimsReport } from '@mvbench/claims';
import { top1Text, verdictText } from '@mvbench/claims';
import { msg } from './messages.ts';
import { esc } from './table.ts';

const HEAD = ['claim', 'paper', 'runner', 'compared', 'measured [95% CI]', 'top-1 (kind, source)', 'verdict', 'why'];

export function claimsSection(report: ClaimsReport): string | null {
  if (!report.judged) return null;
  const body = report.results.flatMap((r) =>
    r.lines.map((l, i) => {
      const claim = i === 0 ? `<td rowspan="${r.lines.length}" title="${esc(r.claim.source)}"><strong>${esc(r.claim.id)}</strong><br><span class="claim-text">${esc(r.claim.claim)}</span><br><span class="help">${esc(r.claim.source)}</span></td><td rowspan="${r.lines.length}">${esc(r.claim.paper)}</td>` : '';
      const verdict = `<td class="verdict v-${l.verdict.replace(/ /g, '-')}">${esc(verdictText(l))}</td>`;
      return `<tr>${claim}<td class="nw">${esc(l.setting)}</td><td>${esc(l.compared)}</td><td${l.ratio ? ' class="nw"' : ''}>${esc(l.measured)}</td><td>${esc(top1Text(l.top1) || '—')}</td>${verdict}<td>${esc(l.why)}</td></tr>`;
    }),
  );
  const missing = report.results.flatMap((r) => r.missing.map((m) => `<li>${esc(r.claim.id)}: ${esc(m.cells.join(', '))}: <code>${esc(m.command)}</code></li>`));
  return `<section id="claims"><h2>The papers' claims, measured</h2><p class="help">${esc(msg.claimsHelp)}</p>
<div class="scroll"><table class="claims"><thead><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('\n')}</tbody></table></div>
${missing.length ? `<p class="help">${esc(msg.claimsMissing)}</p><ul class="missing">${missing.join('')}</ul>` : ''}</section>`;
}
