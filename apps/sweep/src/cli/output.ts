import { appendFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { ensureWritable, writeFileAtomic } from '@mvbench/results';
import { checkNumber, describeNumberRule, type NumberRule } from '@mvbench/core';
/** Console output helpers: JSON for scripts, aligned tables for people. */
export const printJson = (value: unknown): void => {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
};

export function table(rows: readonly (readonly (string | number)[])[], header?: readonly string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly (string | number)[]) =>
    r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n');
}

export const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** commander option parsers over the one checked number parser: a bad value is a usage error (exit 2) naming
 *  the option and what it allows */
const option = (rule: NumberRule) => (v: string): number => {
  const r = checkNumber(v, rule);
  if ('problem' in r) throw new InvalidArgumentError(`${r.problem}; expected ${describeNumberRule(rule)}`);
  return r.value;
};
export const integer = (min: number, max?: number) => option({ integer: true, min, max });
export const positive = option({ above: 0 });
/** a share such as 0.05 (not '5%'): minimum effects, significance levels */
export const fraction = option({ above: 0, below: 1, hint: 'a fraction such as 0.05 for 5%' });

/** `--markdown <file|->`: the markdown to a file (atomically) or stdout */
export function writeMarkdown(target: string, markdown: string): void {
  if (target === '-') process.stdout.write(markdown);
  else writeFileAtomic(target, markdown);
}

/** a --markdown file is checked before any work, like every other output */
export function ensureMarkdownWritable(target: string | undefined): void {
  if (target && target !== '-') ensureWritable(target, 'markdown file (--markdown)');
}

/** in a GitHub Actions job (GITHUB_STEP_SUMMARY names a file) the markdown also goes into the job's summary page */
export function appendStepSummary(markdown: string): void {
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, markdown + '\n');
}
