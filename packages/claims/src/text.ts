/** The claims table as markdown (the README, `mvbench claims --markdown`, GitHub's step summary). */
import { markdownTable } from '@mvbench/results';
import type { ClaimLine, ClaimsReport, Top1 } from './evaluate.ts';

export const top1Text = (t: Top1[]) =>
  t.map((x) => `${x.spec} ${x.value === null ? '—' : `${x.value}%`} (${x.kind}${x.source ? `, ${x.source}` : ''})`).join('; ');

export const verdictText = (l: ClaimLine) => `${l.verdict}${l.contended ? ' (contended)' : ''}`;

export function claimsMarkdown(report: ClaimsReport, file: string): string {
  const sources = markdownTable(['id', 'claim', 'source'], report.results.map((r) => [r.claim.id, r.claim.claim, r.claim.source]));
  const table = markdownTable(
    ['claim', 'paper', 'runner', 'compared', 'measured [95% CI]', 'top-1 (kind, source)', 'verdict', 'why'],
    report.results.flatMap((r) => r.lines.map((l) => [l.claim, r.claim.paper, l.setting, l.compared, l.measured, top1Text(l.top1) || '—', `**${verdictText(l)}**`, l.why])),
  );
  const missing = report.results.flatMap((r) => r.missing.map((m) => `- ${r.claim.id}: ${m.cells.join(', ')}: \`${m.command}\``));
  return [`## The papers' claims, measured: ${file}`, sources, table, ...(missing.length ? ['Cells missing for a verdict, and how to measure them:', missing.join('\n')] : [])].join('\n\n') + '\n';
}
