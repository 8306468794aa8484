/**
 * The regression check behind `mvbench regress`: base revision vs the checked-out head, per plan model and runner setting.
 *   worktree at base -> base emits with its own code | head emits in-process -> per model: interleaved A/B in a
 *   child process -> rank test + minimum effect -> a suspected slowdown is measured again to confirm ->
 *   verdicts and history rows (the CLI prints the table, appends the history, exits 1 only on a confirmed regression).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareModel } from '@mvbench/pipeline';
import { expandPlan, type Plan } from '@mvbench/plan';
import { HISTORY_SCHEMA, type HistoryRow } from '@mvbench/results';
import { compare, verdict, type Comparison, type DecisionOptions, type Verdict } from './decide.ts';
import { summarize, type Calibration, type EnvironmentFingerprint, type LatencyStats } from '@mvbench/runner-core';
import { describeCalibration, driftWarning, makeTempDir, measureAb, measureCalibration, releaseShared, removeStaleTempDirs, type AbJob } from '@mvbench/cell';
import { prepareBase } from './base-emit.ts';
import { addWorktree, commitInfo } from './git.ts';

export interface RegressOptions {
  plan: Plan;
  repo: string;
  base: string;
  head: string;
  decision: DecisionOptions;
  /** extra Sigmoid ops on the head's input (testing the check itself) */
  injectSlowdown: number;
  env: EnvironmentFingerprint;
  log: (line: string) => void;
  /** what the user must see even when `log` is silent (a calibration drift) */
  warn: (line: string) => void;
}

export interface ModelResult {
  spec: string;
  runner: string;
  threads: number;
  verdict: Verdict | 'no-base' | 'error';
  message?: string;
  first?: Comparison;
  confirmation?: Comparison;
  head?: LatencyStats;
  calibrationMs?: number;
}

export async function runRegress(o: RegressOptions): Promise<{ results: ModelResult[]; history: HistoryRow[]; skipped?: string }> {
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
    const paths = new Map<string, { base?: string; head: string; reason?: string }>();
    for (const cell of expandPlan(o.plan)) {
      if (!paths.has(cell.spec)) {
        const i = paths.size;
        const head = join(work, `head-${i}.onnx`);
        writeFileSync(head, prepareModel(cell.spec, { seed: o.plan.seed, injectSlowdown: o.injectSlowdown }).onnx);
        const b = base.emit(cell.spec, join(work, `base-${i}.onnx`));
        paths.set(cell.spec, b.ok ? { base: join(work, `base-${i}.onnx`), head } : { head, reason: b.reason });
        if (!b.ok) o.log(`${cell.spec}: the base revision cannot build it, skipped (${b.reason})`);
      }
      const p = paths.get(cell.spec)!;
      const r: ModelResult = { spec: cell.spec, runner: cell.runner, threads: cell.threads, verdict: 'no-base', message: p.reason };
      if (p.base) {
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
    return { results, history: historyRows(o, results, start.calibration) };
  } finally {
    await releaseShared();
    tree.remove();
    temp.remove();
  }
}

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
    }));
}
