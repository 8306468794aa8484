import type { Command } from 'commander';
import { compareSides, comparisonMarkdown, readSide, type CellComparison } from '@mvbench/compare';
import { appendStepSummary, ensureMarkdownWritable, fraction, printJson, table, writeMarkdown } from './output.ts';

interface CompareFlags {
  minEffect: number;
  alpha: number;
  json?: boolean;
  markdown?: string;
  failOnRegression?: boolean;
}

const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
const describe = (c: CellComparison) => [
  c.spec, `${c.runner} t${c.threads}`, c.oldMs.toFixed(3), c.newMs.toFixed(3),
  `${c.ratio.toFixed(3)} [${c.ciLow.toFixed(3)}, ${c.ciHigh.toFixed(3)}]`, pct(c.ratio), c.p.toExponential(1),
  c.verdict.toUpperCase() + (c.contended ? ' (contended)' : ''),
];

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .argument('<old.jsonl>', 'results file of the baseline (its last sweep)')
    .argument('<new.jsonl>', 'results file to compare with it (its last sweep, same plan)')
    .option('--min-effect <fraction>', 'smallest change of the median that counts, as a fraction (0.05 = 5%)', fraction, 0.05)
    .option('--alpha <p>', 'significance level of the rank test, a fraction', fraction, 0.01)
    .option('--markdown <file|->', 'also write the comparison as a markdown table (- for stdout); in GitHub Actions it also goes into the step summary')
    .option('--fail-on-regression', 'exit 1 when a cell is a REGRESSION (for CI)')
    .option('--json', 'machine-readable result')
    .description('compare two results files cell by cell without measuring: new/old median with 95% CI, rank test, regress verdicts')
    .action((oldFile: string, newFile: string, flags: CompareFlags) => {
      ensureMarkdownWritable(flags.markdown);
      const c = compareSides(readSide(oldFile), readSide(newFile), { minEffect: flags.minEffect, alpha: flags.alpha });
      const markdown = comparisonMarkdown(c);
      if (flags.markdown) writeMarkdown(flags.markdown, markdown);
      appendStepSummary(markdown);
      if (flags.failOnRegression && c.cells.some((x) => x.verdict === 'regression')) process.exitCode = 1;
      if (flags.json) return printJson(c);
      if (flags.markdown === '-') return;
      if (c.machineWarning) console.error(`mvbench: warning: ${c.machineWarning}`);
      console.log(table(c.cells.map(describe), ['model', 'runner', 'old ms', 'new ms', 'new/old [95% CI]', 'change', 'p', 'verdict']));
      for (const [what, cells] of [['only in the old file', c.onlyOld], ['only in the new file', c.onlyNew]] as const) if (cells.length) console.log(`\n${what}: ${cells.join(', ')}`);
      if (c.notCompared.length) console.log(`\nnot compared: ${c.notCompared.map((n) => `${n.cell} (${n.why})`).join(', ')}`);
      const counts = (['regression', 'faster', 'same'] as const).map((v) => `${c.cells.filter((x) => x.verdict === v).length} ${v}`).join(', ');
      console.log(`\n${c.cells.length} cells compared: ${counts} (p < ${flags.alpha} and beyond ${pct(1 + flags.minEffect)})`);
    });
}
