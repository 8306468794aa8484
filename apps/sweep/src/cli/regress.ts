import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { appendJsonl, ensureWritable, readJsonl } from '@mvbench/results';
import { writeFileAtomic } from '@mvbench/results';
import { HistoryRow } from '@mvbench/results';
import { environmentFingerprint } from '@mvbench/runner-core';
import { repoRoot } from '../paths.ts';
import { assertClean, defaultBase, git, INSTRUCTION_THRESHOLD, METRICS, metricsAvailable, regressMarkdown, resolveRev, runRegress, type Metric, type ModelResult } from '@mvbench/regress';
import { resolvePlan } from '../sweep/plan-source.ts';
import { appendStepSummary, ensureMarkdownWritable, fraction, integer, printJson, table, writeMarkdown } from './output.ts';

interface RegressFlags {
  base?: string;
  plan: string;
  minEffect: number;
  alpha: number;
  injectSlowdown: number;
  metric: Metric;
  instructionsThreshold: number;
  instructionRuns: number;
  countIdentical?: boolean;
  history?: string;
  noHistory?: boolean;
  historyFile: boolean;
  json?: boolean;
  markdown?: string;
}

const pct = (x: number, digits = 1) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(digits)}%`;

function describe(r: ModelResult): string[] {
  const c = r.confirmation ?? r.first;
  const ratio = c ? `${c.ratio.ratio.toFixed(3)} [${c.ratio.low.toFixed(3)}, ${c.ratio.high.toFixed(3)}]` : '-';
  const change = c ? pct(c.ratio.ratio) : '-';
  const p = c ? (c.direction === 'faster' ? c.pFaster : c.pSlower).toExponential(1) : '-';
  const i = r.instructions;
  const instr = i ? [`${i.ratio.toFixed(4)}`, pct(i.ratio, 2), pct(i.cyclesRatio, 2), i.verdict.toUpperCase()] : ['-', '-', '-', '-'];
  return [r.spec, `${r.runner} t${r.threads}`, ratio, change, p, r.verdict.toUpperCase(), ...instr, [r.message, r.instructionsNote].filter(Boolean).join('; ')];
}

export function registerRegress(program: Command): void {
  program
    .command('regress')
    .description('latency regression check of the checked-out commit against a base revision (exit 1 on a confirmed regression)')
    .option('--base <rev>', 'base revision (default: merge base with origin/main, else HEAD~1)')
    .option('--plan <name|file>', 'models and runners to check', 'regress')
    .option('--min-effect <fraction>', 'smallest change of the median that counts, as a fraction (0.05 = 5%)', fraction, 0.05)
    .option('--alpha <p>', 'significance level of the rank test, a fraction', fraction, 0.01)
    .option('--inject-slowdown <ops>', 'add this many element-wise ops to the head models (to test the check itself)', integer(0, 10_000), 0)
    .addOption(new Option('--metric <metric>', 'wall time, instruction counts under Valgrind (ort-node:cpu and ort-web:wasm cells; ~1 min per model and side), or both; without Valgrind, both falls back to time').choices(METRICS).default('both'))
    .option('--instructions-threshold <fraction>', 'instruction-count change that counts, as a fraction (0.002 = 0.2%)', fraction, INSTRUCTION_THRESHOLD)
    .option('--instruction-runs <n>', 'inferences counted per side after one warm-up (their median is the count)', integer(1, 20), 3)
    .option('--count-identical', 'count base and head separately even where their graphs are byte-identical (an A/A check of the metric; by default one count serves both)')
    .option('--history <file.jsonl>', 'history file to append to (default results/history/<plan>.jsonl)')
    .option('--no-history-file', 'do not append to the history')
    .option('--markdown <file|->', 'also write the result as a markdown table (- for stdout); in GitHub Actions it also goes into the step summary')
    .option('--json', 'machine-readable result')
    .action(async (flags: RegressFlags) => {
      const repo = git(['rev-parse', '--show-toplevel'], process.cwd());
      assertClean(repo);
      ensureMarkdownWritable(flags.markdown);
      metricsAvailable(flags.metric);
      const plan = await resolvePlan({ plan: flags.plan });
      const base = resolveRev(flags.base ?? defaultBase(repo), repo);
      const head = resolveRev('HEAD', repo);
      const historyFile = flags.history ?? join(repoRoot, 'results', 'history', `${plan.name}.jsonl`);
      if (flags.historyFile) ensureWritable(historyFile);
      const log = (line: string) => !flags.json && console.error(line);
      log(`regression check '${plan.name}': head ${head.slice(0, 10)} vs base ${base.slice(0, 10)}`);
      const { results, history, skipped } = await runRegress({
        plan, repo, base, head, env: environmentFingerprint(repo), log, warn: (line) => console.error(line),
        decision: { minEffect: flags.minEffect, alpha: flags.alpha },
        metric: flags.metric,
        instructions: { threshold: flags.instructionsThreshold, runs: flags.instructionRuns, countIdentical: flags.countIdentical },
        injectSlowdown: flags.injectSlowdown,
      });
      let historyReport: string | undefined;
      if (flags.historyFile && history.length) {
        for (const row of history) appendJsonl(historyFile, HistoryRow, row);
        const { buildHistoryReport } = await import('@mvbench/report');
        historyReport = join(dirname(historyFile), '..', 'reports', `history-${plan.name}.html`);
        const all = readJsonl(historyFile, HistoryRow).rows;
        writeFileAtomic(historyReport, buildHistoryReport(all, { title: `mvbench latency history '${plan.name}'`, generatedAt: new Date().toISOString() }));
      }
      const regressions = results.filter((r) => r.verdict === 'regression' || r.instructions?.verdict === 'regression');
      const markdown = regressMarkdown(results, { plan: plan.name, base, head, minEffect: flags.minEffect });
      if (flags.markdown) writeMarkdown(flags.markdown, markdown);
      appendStepSummary(markdown);
      if (flags.json) printJson({ base, head, skipped: skipped ?? null, results, history: flags.historyFile ? historyFile : null, historyReport: historyReport ?? null });
      else {
        const header = ['model', 'runner', 'time head/base [95% CI]', 'change', 'p', 'time verdict', 'instr head/base', 'instr', 'est. cycles', 'instr verdict', 'note'];
        console.log(table(results.map(describe), header));
        const gates = [
          flags.metric !== 'instructions' && `time above ${pct(1 + flags.minEffect)}, confirmed`,
          results.some((r) => r.instructions) && `instructions above ${pct(1 + flags.instructionsThreshold, 2)}`,
        ].filter(Boolean).join('; ');
        console.log(
          regressions.length
            ? `\n${regressions.length} model(s) with a regression (${gates})`
            : `\nno regression (${gates})${skipped ? ` (skipped: ${skipped})` : ''}`,
        );
        if (historyReport) console.log(`history: ${historyFile}\nhistory report: ${historyReport}`);
      }
      process.exitCode = regressions.length ? 1 : 0;
    });
}
