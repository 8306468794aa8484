/** A comparison as markdown (for a pull request or GitHub's step summary). */
import { markdownTable } from '@mvbench/results';
import type { Comparison } from './compare.ts';

const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;

export function comparisonMarkdown(c: Comparison): string {
  const table = markdownTable(
    ['model', 'runner', 'threads', 'old ms', 'new ms', 'new/old [95% CI]', 'change', 'p', 'verdict'],
    c.cells.map((x) => [
      `\`${x.spec}\``, x.runner, x.threads, x.oldMs.toFixed(3), x.newMs.toFixed(3),
      `${x.ratio.toFixed(3)} [${x.ciLow.toFixed(3)}, ${x.ciHigh.toFixed(3)}]`, pct(x.ratio), x.p.toExponential(1),
      `${x.verdict === 'same' ? 'SAME' : `**${x.verdict.toUpperCase()}**`}${x.contended ? ' (contended)' : ''}`,
    ]),
  );
  const notes = [
    c.machineWarning && `> ${c.machineWarning}`,
    c.onlyOld.length && `Only in the old file: ${c.onlyOld.join(', ')}.`,
    c.onlyNew.length && `Only in the new file: ${c.onlyNew.join(', ')}.`,
    c.notCompared.length && `Not compared: ${c.notCompared.map((n) => `${n.cell} (${n.why})`).join(', ')}.`,
  ].filter(Boolean);
  const head = `## mvbench compare: ${c.new.file} vs ${c.old.file}\n\nplan '${c.old.plan}'; a verdict needs p < ${c.alpha} and a change beyond ${(c.minEffect * 100).toFixed(0)}% (the regression check's rule).`;
  return [head, table, ...notes].join('\n\n') + '\n';
}
