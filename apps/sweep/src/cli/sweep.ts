import { join } from 'node:path';
import type { Command } from 'commander';
import { parseNumberList, userError } from '@mvbench/core';
import { cellsToRun, MAX_CELLS_WITHOUT_YES, parseShard, PLANS, validatePlan, type Plan } from '@mvbench/plan';
import { ensureWritable, ensureWritableDir, sweepMarkdown } from '@mvbench/results';
import { resolvePlan, type PlanFlags } from '../sweep/plan-source.ts';
import { runSweep, type SweepEvents } from '@mvbench/sweep-run';
import { createProgress } from '../sweep/progress.ts';
import { printSummary } from '../sweep/summary.ts';
import { repoRoot } from '../paths.ts';
import { writeOutputs } from './report.ts';
import { appendStepSummary, ensureMarkdownWritable, integer, printJson, table, writeMarkdown } from './output.ts';
import { calibrationNotes } from '@mvbench/cell';
import { cellPredictions } from '@mvbench/predict';
import { checkMachineClass, checkQueueUrl, runQueueSweep } from '@mvbench/queue';
import { queueSweepEvents } from './worker.ts';

/** the structure-knob axes (--depth, --ffn, --expand, --dims) of a --family sweep */
interface StructureFlags {
  depth?: string;
  ffn?: string;
  expand?: string;
  dims?: string;
}

/** adds the structure-knob flags to the --family axes; the DSL checks each value when the plan expands */
function withStructureAxes(plan: Plan, flags: StructureFlags & { family?: string }): Plan {
  const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
  const ratios = (flag: string, s: string | undefined) => (s === undefined ? undefined : parseNumberList(s, `--${flag}`, { above: 0 }));
  const axes = { depth: list(flags.depth), ffn: ratios('ffn', flags.ffn), expand: ratios('expand', flags.expand), dims: list(flags.dims) };
  const given = Object.entries(axes).filter(([, v]) => v !== undefined);
  if (!given.length) return plan;
  if (!flags.family)
    throw userError('BAD_ARGUMENT', `${given.map(([k]) => `--${k}`).join(', ')}: knob axes of one family; give --family too (or put the knobs in --models specs)`);
  return validatePlan({ ...plan, axes: [{ ...plan.axes[0], ...Object.fromEntries(given) }] }, 'from the command line');
}

interface SweepFlags extends PlanFlags, StructureFlags {
  out?: string;
  reportDir?: string;
  resume?: boolean;
  retryFailed?: boolean;
  retryContended?: boolean;
  failOnError?: boolean;
  shard?: string;
  json?: boolean;
  yes?: boolean;
  predict?: boolean | string;
  report: boolean;
  csv?: string;
  dryRun?: boolean;
  markdown?: string;
  queue?: string;
  machineClass: string;
  attempts: number;
  lockSeconds: number;
}

/** --dry-run: the cells a run would measure, in order; nothing is measured or written */
function printCells(plan: Plan, shard: { index: number; count: number } | undefined, flags: SweepFlags): void {
  const cells = cellsToRun(plan, shard, !!flags.yes);
  if (flags.json) return printJson({ plan: plan.name, cells });
  console.log(table(cells.map((c, i) => [i + 1, c.spec, c.runner, c.threads, c.graphOptimization, c.profile ? 'yes' : '']), ['#', 'model', 'runner', 'threads', 'graph opt', 'profile']));
  const specs = new Set(cells.map((c) => c.spec)).size;
  console.log(`
plan '${plan.name}'${shard ? ` shard ${shard.index}/${shard.count}` : ''}: ${cells.length} cells (${specs} models); nothing measured (--dry-run)`);
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('measure every cell of a plan (models x runners x threads), each in its own process; write results and a report')
    .option('--plan <name|file>', `built-in plan (${Object.keys(PLANS).join(', ')}; see mvbench plans) or a .json/.ts plan file`, 'default')
    .option('--models <specs>', 'comma-separated model specs (instead of a plan)')
    .option('--family <name>', 'sweep axes of one family (instead of a plan): mobilevit, mobilevitv2, swiftformer, mobilenetv2')
    .option('--ids <ids>', 'with --family: canonical ids to start from')
    .option('--widths <list>', 'with --family: width multipliers, e.g. 0.5,0.75,1')
    .option('--attention <list>', 'with --family: attention kinds, e.g. separable,additive')
    .option('--patch <list>', 'with --family: patch configs, e.g. A,B')
    .option('--resolution <list>', 'with --family: input resolutions, e.g. 224,256')
    .option('--depth <list>', 'with --family: blocks per stage, e.g. 1x2x1,2x4x3 (MobileViT), 2x2x4x3 (SwiftFormer)')
    .option('--ffn <list>', 'with --family: MLP ratios of the transformer blocks, e.g. 1.5,2,3')
    .option('--expand <list>', 'with --family: expansion of the inverted-residual (conv) blocks, e.g. 2,4,6')
    .option('--dims <list>', 'with --family mobilevit: transformer dims per block, e.g. 64x80x96,96x120x144')
    .option('--onnx <files>', 'time these .onnx files as they are (comma-separated; instead of a plan, beside --models)')
    .option('--input-shape <shapes>', 'with --onnx: shapes of dynamic input dimensions, e.g. 1x3x256x256 or pixel_values=1x3x224x224 (comma-separated)')
    .option('--runner <ids>', 'runner ids (overrides the plan), e.g. ort-node:cpu')
    .option('--threads <list>', 'thread counts (overrides the plan), e.g. 1,2')
    .option('--opt <level>', 'graph optimisation: disabled, basic, extended, all')
    .option('--budget-ms <ms>', 'time budget of the timed runs per cell')
    .option('--warmup <n>', 'exactly n untimed runs before timing (default: until window medians settle)')
    .option('--min-runs <n>', 'timed runs at least, per process (>= 6; plan measure.minRuns)')
    .option('--max-runs <n>', 'timed runs at most, per process (plan measure.maxRuns)')
    .option('--processes <n>', 'fresh processes per cell whose samples are pooled (plan measure.processes)')
    .option('--target-ci <fraction>', 'stop when the 95% CI half-width of the median is within this fraction of it, e.g. 0.01')
    .option('--max-minutes <min|none>', "total time of the sweep: each cell's timed runs are scaled down to end in time (default: the plan's measure.maxMinutes)")
    .option('--profile <which>', 'per-node profile: none, canonical, all')
    .option('--accuracy <kind|json>', 'accuracy of each cell: none, published, proxy, zero-cost, or a JSON object with settings (see README, Accuracy)')
    .option('--name <name>', 'plan name for axes given on the command line', 'custom')
    .option('--out <file.jsonl>', 'results file (appended; default results/<plan>.jsonl)')
    .option('--report-dir <dir>', 'where the HTML report goes (default results/reports)')
    .option('--no-report', 'skip the HTML report')
    .option('--csv <file>', 'also export this sweep as CSV')
    .option('--markdown <file|->', 'also write the results as a markdown table (- for stdout); in GitHub Actions they also go into the step summary')
    .option('--resume', 'continue the last sweep of this plan in the results file, skipping finished cells')
    .option('--retry-failed', 'with --resume: measure cells whose row has an error again (the new row supersedes the old)')
    .option('--retry-contended', 'with --resume: measure cells marked contended (other processes competed for the CPU) again')
    .option('--fail-on-error', 'exit 1 when any cell failed (for CI); the rows are written either way')
    .option('--shard <i/n>', 'run only shard i of n (deterministic split, for CI matrices; combine with mvbench merge)')
    .option('--yes', `run a plan of more than ${MAX_CELLS_WITHOUT_YES} cells`)
    .option('--dry-run', 'list the cells the sweep would measure (plan or axes, shard), measure and write nothing')
    .option('--predict [dir]', "store each cell's predicted latency beside the measured one, from the predictors in dir (default results/predictors); the report plots both")
    .option('--json', 'print the result rows as JSON at the end instead of tables')
    .option('--queue <redis-url>', 'send the cells to workers on other machines through this Redis (mvbench worker), redis://host:port/db')
    .option('--machine-class <name>', "with --queue: the workers' class the latency cells need", 'default')
    .option('--attempts <n>', 'with --queue: tries per cell (a worker killed mid-cell is one) before it becomes an error row', integer(1, 100), 3)
    .option('--lock-seconds <s>', 'with --queue: a worker silent this long loses its cell to another', integer(2, 86_400), 30)
    .action(async (flags: SweepFlags) => {
      for (const [flag, on] of [['--retry-failed', flags.retryFailed], ['--retry-contended', flags.retryContended]] as const)
        if (on && !flags.resume) throw userError('BAD_ARGUMENT', `${flag} re-measures cells of the sweep in the results file: use it with --resume`);
      const plan = withStructureAxes(await resolvePlan(flags), flags);
      const shard = flags.shard ? parseShard(flags.shard) : undefined;
      if (flags.dryRun) return printCells(plan, shard, flags);
      const queue = flags.queue === undefined ? undefined : checkQueueUrl(flags.queue);
      if (queue && shard) throw userError('BAD_ARGUMENT', '--queue and --shard: a queue hands out cells as workers free up; give one of them');
      const out = flags.out ?? join(repoRoot, 'results', `${plan.name}${shard ? `-shard${shard.index}of${shard.count}` : ''}.jsonl`);
      const reportDir = flags.report ? (flags.reportDir ?? join(repoRoot, 'results', 'reports')) : undefined;
      // every output is checked before the first cell: minutes of measuring must not end in "cannot write"
      if (reportDir) ensureWritableDir(reportDir, 'report directory (--report-dir)');
      if (flags.csv) ensureWritable(flags.csv, 'CSV file (--csv)');
      ensureMarkdownWritable(flags.markdown);
      if (!flags.json) console.error(`sweep '${plan.name}': results -> ${out}`);
      // --json: no progress bar or per-cell lines
      const events: SweepEvents = {
        log: (line) => !flags.json && console.error(line),
        warn: (line) => console.error(line),
        progress: (total, already, etaMs) => createProgress(total, already, !flags.json, etaMs),
        interrupted: (signal, newRows) => console.error(`\ninterrupted (${signal}): ${newRows} new rows are in ${out}; continue with --resume`),
      };
      const predictors = typeof flags.predict === 'string' ? flags.predict : join(repoRoot, 'results', 'predictors');
      const predict = flags.predict ? cellPredictions(predictors, events.warn) : undefined;
      const run = { plan, out, resume: !!flags.resume, yes: !!flags.yes, retryFailed: flags.retryFailed, retryContended: flags.retryContended, predict };
      const result = queue
        ? await runQueueSweep({ ...run, queueUrl: queue, machineClass: checkMachineClass(flags.machineClass, '--machine-class'), attempts: flags.attempts, lockSeconds: flags.lockSeconds, events: queueSweepEvents(!!flags.json, out) })
        : await runSweep({ ...run, shard, events });
      const written = await writeOutputs(result.rows, {
        title: `mvbench sweep '${plan.name}'`,
        plan: plan.name,
        sweep: result.sweep,
        notes: calibrationNotes(result.calibration),
        reportDir,
        csv: flags.csv,
      });
      const markdown = sweepMarkdown(result.rows, `mvbench sweep '${plan.name}'`);
      if (flags.markdown) writeMarkdown(flags.markdown, markdown);
      appendStepSummary(markdown);
      // the rows are written either way; CI asks for a failing exit when a cell failed
      if (flags.failOnError && result.rows.some((r) => r.error)) process.exitCode = 1;
      if (flags.json) return printJson({ sweep: result.sweep, results: out, ...written, rows: result.rows });
      console.log('');
      printSummary(result.rows);
      console.log(`\nresults: ${out}${result.skipped ? ` (${result.skipped} cells resumed from before)` : ''}`);
      for (const [what, path] of Object.entries(written)) if (path) console.log(`${what}: ${path}`);
    });
}
