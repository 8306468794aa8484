/**
 * The regression check behind `mvbench regress`: base revision vs the checked-out head, per plan model and runner setting.
 *   worktree at base -> base emits with its own code | head emits in-process -> per model: interleaved A/B in a
 *   child process -> rank test + minimum effect -> a suspected slowdown is measured again to confirm ->
 *   verdicts -> with the instruction metric: base and head counted under Valgrind, in parallel once nothing is
 *   timed any more -> history rows (the CLI prints the table, appends the history, exits 1 on a regression).
 */
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareModel } from '@mvbench/pipeline';
import { expandPlan, type Plan } from '@mvbench/plan';
import { HISTORY_SCHEMA, type HistoryRow } from '@mvbench/results';
import { compare, verdict, type Comparison, type DecisionOptions, type Verdict } from './decide.ts';
import { summarize, type TensorSpec, type Calibration, type EnvironmentFingerprint, type LatencyStats } from '@mvbench/runner-core';
import { describeCalibration, driftWarning, makeTempDir, measureAb, measureCalibration, releaseShared, removeStaleTempDirs, type AbJob } from '@mvbench/cell';
import { countInstructions, uncountable, valgrindStatus, type CountOutcome, type ValgrindStatus } from '@mvbench/instructions';
import { userError } from '@mvbench/core';
import { compareInstructions, disagreement, type InstructionComparison } from './decide-instructions.ts';
import { prepareBase } from './base-emit.ts';
import { addWorktree, commitInfo } from './git.ts';

export interface RegressOptions {
  plan: Plan;
  repo: string;
  base: string;
  head: string;
  decision: DecisionOptions;
  /** wall time, instruction counts (Valgrind) or both */
  metric: Metric;
  /**
   * instruction-count threshold (a fraction), counted inferences per side, and whether byte-identical base and head
   * graphs are still counted twice (A/A checks of the metric; otherwise one count serves both sides)
   */
  instructions: { threshold: number; runs: number; countIdentical?: boolean };
  /** extra Sigmoid ops on the head's input (testing the check itself) */
  injectSlowdown: number;
  env: EnvironmentFingerprint;
  log: (line: string) => void;
  /** what the user must see even when `log` is silent (a calibration drift) */
  warn: (line: string) => void;
}

export const METRICS = ['time', 'instructions', 'both'] as const;
export type Metric = (typeof METRICS)[number];

export interface ModelResult {
  spec: string;
  runner: string;
  threads: number;
  /** the wall-time verdict ('not-measured' with --metric instructions) */
  verdict: Verdict | 'no-base' | 'error' | 'not-measured';
  message?: string;
  instructions?: InstructionComparison;
  /** why there is no instruction verdict (runner not countable, counting failed), or where the metrics disagree */
  instructionsNote?: string;
  first?: Comparison;
  confirmation?: Comparison;
  head?: LatencyStats;
  calibrationMs?: number;
}

/** the metrics this machine can give: --metric instructions without Valgrind is a user error, 'both' falls back to time */
export function metricsAvailable(metric: Metric, v: ValgrindStatus = valgrindStatus()): { time: boolean; instructions: boolean; note?: string } {
  const time = metric !== 'instructions';
  if (metric === 'time') return { time, instructions: false };
  if (v.ok) return { time, instructions: true };
  if (metric === 'instructions') throw userError('BAD_ARGUMENT', `--metric instructions needs Valgrind: ${v.reason}`);
  return { time, instructions: false, note: `instruction counts skipped, wall time only: ${v.reason}` };
}

export async function runRegress(o: RegressOptions): Promise<{ results: ModelResult[]; history: HistoryRow[]; skipped?: string }> {
  const metrics = metricsAvailable(o.metric);
  if (metrics.note) o.warn(metrics.note);
  removeStaleTempDirs();
  const temp = makeTempDir('mvbench-regress');
  const work = temp.dir;
  const tree = addWorktree(o.base, o.repo);
  try {
    const base = prepareBase(tree.dir, o.log);
    if (base.unusable) {
      o.log(`skipping the check: ${base.unusable}`);
      return { results: [], history: [], skipped: base.unusable };
    }
    // the machine's speed before and after: history rows carry it, and a drift between the two is reported
    const start = await measureCalibration(o.log);
    if (start.calibration) o.log(`calibration: ${describeCalibration(start.calibration)}`);
    const results: ModelResult[] = [];
    const counts: ToCount[] = [];
    const paths = new Map<string, { base?: string; head: string; inputs: TensorSpec[]; reason?: string }>();
    for (const cell of expandPlan(o.plan)) {
      if (!paths.has(cell.spec)) {
        const i = paths.size;
        const head = join(work, `head-${i}.onnx`);
        const prepared = prepareModel(cell.spec, { seed: o.plan.seed, injectSlowdown: o.injectSlowdown });
        writeFileSync(head, prepared.onnx);
        const b = base.emit(cell.spec, join(work, `base-${i}.onnx`));
        paths.set(cell.spec, { head, inputs: prepared.artifact.inputs, ...(b.ok ? { base: join(work, `base-${i}.onnx`) } : { reason: b.reason }) });
        if (!b.ok) o.log(`${cell.spec}: the base revision cannot build it, skipped (${b.reason})`);
      }
      const p = paths.get(cell.spec)!;
      const r: ModelResult = { spec: cell.spec, runner: cell.runner, threads: cell.threads, verdict: p.base && !metrics.time ? 'not-measured' : 'no-base', message: p.reason };
      if (p.base) counts.push({ r, base: p.base, head: p.head, inputs: p.inputs, graphOptimization: cell.graphOptimization });
      if (p.base && metrics.time) {
        const job: AbJob = { runner: cell.runner, threads: cell.threads, graphOptimization: cell.graphOptimization, basePath: p.base, headPath: p.head, budgetMs: o.plan.measure.budgetMs, minRounds: o.plan.measure.minRuns };
        const measureOnce = () => measureAb(job, o.plan.timeoutS);
        o.log(`${cell.spec} on ${cell.runner} t${cell.threads}: measuring base and head interleaved`);
        const first = await measureOnce();
        if (!first.ok) Object.assign(r, { verdict: 'error', message: `${first.code}: ${first.message}` });
        else {
          r.first = compare(first.base, first.head, o.decision);
          r.head = summarize(first.head);
          r.calibrationMs = first.calibrationMs;
          if (r.first.direction === 'slower') {
            o.log(`  ${((r.first.ratio.ratio - 1) * 100).toFixed(1)}% slower: confirming with a second interleaved run`);
            const second = await measureOnce();
            if (second.ok) r.confirmation = compare(second.base, second.head, { ...o.decision, seed: (o.decision.seed ?? 1) + 1 });
            else Object.assign(r, { verdict: 'error', message: `${second.code}: ${second.message}` });
          }
          if (r.verdict !== 'error') r.verdict = verdict(r.first, r.confirmation);
        }
      }
      results.push(r);
    }
    const end = await measureCalibration(o.log);
    if (end.calibration) o.log(`calibration at the end: ${describeCalibration(end.calibration)}`);
    const drift = driftWarning(start.calibration, end.calibration);
    if (drift) o.warn(`${drift}; base and head were measured interleaved, so their ratio holds, but the history's ms do not`);
    if (metrics.instructions) await countAll(counts, o);
    return { results, history: historyRows(o, results, start.calibration) };
  } finally {
    await releaseShared();
    tree.remove();
    temp.remove();
  }
}

interface ToCount { r: ModelResult; base: string; head: string; inputs: TensorSpec[]; graphOptimization: string }

/** base and head of every model counted under Valgrind, as many at once as there are cores (counts ignore load) */
async function countAll(todo: ToCount[], o: RegressOptions): Promise<void> {
  const countable = todo.filter((t) => {
    t.r.instructionsNote = uncountable(t.r.runner);
    return !t.r.instructionsNote;
  });
  if (!countable.length) return;
  const cores = availableParallelism();
  // a count does not depend on the cell's thread count, and both sides run the head's runtime: one count per runner,
  // graph and optimisation level, so a commit that leaves a model's graph as it was counts it once, not twice
  const digest = new Map<string, string>();
  const graphOf = (path: string) => (o.instructions.countIdentical ? path : digest.get(path) ?? digest.set(path, sha256(path)).get(path)!);
  const key = (path: string, t: ToCount) => `${t.r.runner}|${graphOf(path)}|${t.graphOptimization}`;
  const jobs = [...new Map(countable.flatMap((t) => [t.head, t.base].map((onnxPath) => [key(onnxPath, t), { t, onnxPath }] as const))).values()];
  // the largest graphs first, so that the last ones to finish are short
  jobs.sort((a, b) => statSync(b.onnxPath).size - statSync(a.onnxPath).size);
  const outcomes = new Map<string, CountOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { t, onnxPath } = jobs[next++];
      outcomes.set(key(onnxPath, t), await countInstructions({ runner: t.r.runner, onnxPath, inputs: t.inputs, graphOptimization: t.graphOptimization, runs: o.instructions.runs, timeoutS: COUNT_TIMEOUT_S }));
    }
  };
  o.log(`counting instructions under Valgrind: ${jobs.length} graph(s) (base and head; identical ones once), ${Math.min(cores, jobs.length)} at a time`);
  await Promise.all(Array.from({ length: Math.min(cores, jobs.length) }, worker));
  for (const t of countable) {
    const [b, h] = [outcomes.get(key(t.base, t))!, outcomes.get(key(t.head, t))!];
    if (!b.ok || !h.ok) t.r.instructionsNote = `counting failed: ${(!b.ok ? b : (h as { message: string })).message}`;
    else {
      t.r.instructions = compareInstructions(b, h, o.instructions.threshold);
      const same = key(t.base, t) === key(t.head, t) ? 'same graph as base: counted once' : undefined;
      t.r.instructionsNote = [same, disagreement(t.r.verdict, t.r.instructions.verdict)].filter(Boolean).join('; ') || undefined;
      o.log(`${t.r.spec} ${t.r.runner}: instructions head/base ${t.r.instructions.ratio.toFixed(5)} (${t.r.instructions.verdict})`);
    }
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** per counting process (Valgrind runs ~50x slower than native: mobilevit_xxs ~25 s per inference) */
const COUNT_TIMEOUT_S = 1800;

function historyRows(o: RegressOptions, results: ModelResult[], calibration: Calibration | undefined): HistoryRow[] {
  const head = commitInfo(o.head, o.repo);
  return results
    .filter((r) => r.head && r.first && r.verdict !== 'error')
    .map((r) => ({
      schema: HISTORY_SCHEMA,
      plan: o.plan.name,
      commit: head.sha,
      subject: head.subject,
      commitDate: head.date,
      base: o.base,
      recordedAt: new Date().toISOString(),
      spec: r.spec,
      runner: r.runner,
      threads: r.threads,
      medianMs: r.head!.median,
      ciLow: r.head!.ciLow,
      ciHigh: r.head!.ciHigh,
      calibrationMs: r.calibrationMs!,
      relative: r.head!.median / r.calibrationMs!,
      ratioVsBase: r.first!.ratio.ratio,
      verdict: r.verdict as HistoryRow['verdict'],
      machine: `${o.env.cpuModel}, ${o.env.cores} cores`,
      ...(calibration ? { calibration } : {}),
      ...(r.instructions && {
        instructions: { perInference: r.instructions.head.instructions, estimatedCycles: r.instructions.head.estimatedCycles, ratioVsBase: r.instructions.ratio, verdict: r.instructions.verdict },
      }),
    }));
}
