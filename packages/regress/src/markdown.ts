/** A regression check's result as markdown: the table a pull request or GitHub's step summary shows. */
import { markdownTable } from '@mvbench/results';
import type { ModelResult } from './run-regress.ts';

const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;

export function regressMarkdown(results: readonly ModelResult[], o: { plan: string; base: string; head: string; minEffect: number }): string {
  const rows = results.map((r) => {
    const c = r.confirmation ?? r.first;
    const verdict = r.verdict === 'regression' || r.verdict === 'faster' ? `**${r.verdict.toUpperCase()}**` : r.verdict.toUpperCase();
    return [
      `\`${r.spec}\``, `${r.runner} t${r.threads}`,
      c ? `${c.ratio.ratio.toFixed(3)} [${c.ratio.low.toFixed(3)}, ${c.ratio.high.toFixed(3)}]` : '-', c ? pct(c.ratio.ratio) : '-',
      c ? (c.direction === 'faster' ? c.pFaster : c.pSlower).toExponential(1) : '-', verdict, r.message ?? '',
    ];
  });
  const regressions = results.filter((r) => r.verdict === 'regression').length;
  const outcome = regressions ? `**${regressions} confirmed regression(s)** above ${pct(1 + o.minEffect)}` : `no confirmed regression above ${pct(1 + o.minEffect)}`;
  return [
    `## mvbench regress '${o.plan}': ${o.head.slice(0, 10)} vs ${o.base.slice(0, 10)}`,
    `${outcome}; head and base interleaved in one process per model, a slowdown confirmed by a second run.`,
    markdownTable(['model', 'runner', 'head/base median [95% CI]', 'change', 'p', 'verdict', 'note'], rows),
  ].join('\n\n') + '\n';
}
