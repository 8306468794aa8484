import type { Command } from 'commander';
import { userError } from '@mvbench/core';
import { claimRows, claimsMarkdown, evaluateClaims, top1Text, verdictText } from '@mvbench/claims';
import { appendStepSummary, ensureMarkdownWritable, printJson, table, writeMarkdown } from './output.ts';

export function registerClaims(program: Command): void {
  program
    .command('claims')
    .argument('<results.jsonl...>', "results files (each file's last sweep; several files are combined, e.g. default and token-scaling)")
    .option('--markdown <file|->', 'also write the claims table as markdown (- for stdout); in GitHub Actions it also goes into the step summary')
    .option('--json', 'machine-readable result')
    .description("the papers' claims beside the measured ratios (95% CI) per runner and threads, with a verdict; nothing measured")
    .action((files: string[], flags: { json?: boolean; markdown?: string }) => {
      ensureMarkdownWritable(flags.markdown);
      const report = evaluateClaims(claimRows(files));
      const missing = report.results.flatMap((r) => r.missing.map((m) => `  ${r.claim.id}: ${m.cells.join(', ')}\n    measure: ${m.command}`));
      if (!report.judged) throw userError('BAD_ARGUMENT', `no claim can be judged from ${files.join(', ')}: it lacks the cells they need:\n${missing.join('\n')}`);
      const markdown = claimsMarkdown(report, files.join(', '));
      if (flags.markdown) writeMarkdown(flags.markdown, markdown);
      appendStepSummary(markdown);
      if (flags.json) return printJson(report);
      if (flags.markdown === '-') return;
      const lines = report.results.flatMap((r) => r.lines.map((l) => [l.claim, r.claim.paper, l.setting, l.compared, l.measured, verdictText(l), l.why]));
      console.log(table(lines, ['claim', 'paper', 'runner', 'compared', 'measured [95% CI]', 'verdict', 'why']));
      const top1 = [...new Set(report.results.flatMap((r) => r.lines.filter((l) => l.top1.length).map((l) => `  ${l.claim}: ${top1Text(l.top1)}`)))];
      if (top1.length) console.log(`\ntop-1 (kind, source):\n${top1.join('\n')}`);
      if (missing.length) console.log(`\ncells missing for a verdict:\n${missing.join('\n')}`);
    });
}
