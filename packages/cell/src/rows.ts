/** Assembles a result row from a cell, the model's static facts and measureCell's outcome: what a sweep (or a search) appends. */
import type { ModelInfo, ModelSpec } from '@mvbench/dsl';
import { knobValues } from '@mvbench/dsl';
import type { Cell, Plan } from '@mvbench/plan';
import { SCHEMA_VERSION, type Accuracy, type Environment, type ResultRow } from '@mvbench/results';
import { loadOf, type EnvironmentFingerprint } from '@mvbench/runner-core';
import type { CellOutcome } from './job.ts';

interface RowContext {
  sweep: string;
  plan: Plan;
  cell: Cell;
  /** the model spec; undefined for an .onnx cell (cell.onnx says what it is) */
  spec: ModelSpec | undefined;
  info: ModelInfo | undefined;
  env: EnvironmentFingerprint;
  startedAt: Date;
  /** the spec's accuracy of the kind the plan asks for (@mvbench/accuracy) */
  accuracy: Accuracy;
}

/** a row's model columns: the spec's family and knobs, or an .onnx file's name, hash and inputs (no family or knobs) */
function modelColumns(cell: Cell, spec: ModelSpec | undefined, info: ModelInfo | undefined): Pick<ResultRow, 'spec' | 'id' | 'family' | 'canonical' | 'knobs' | 'params' | 'macs' | 'onnx'> {
  const o = cell.onnx;
  if (o)
    return {
      spec: o.spec, id: o.file, family: 'onnx', canonical: false, knobs: null, params: o.params, macs: o.macs,
      onnx: { file: o.file, sha256: o.sha256, inputs: o.inputs, opset: o.opset, producer: o.producer },
    };
  if (!spec) throw new Error(`cell ${cell.key} has neither a model spec nor an .onnx file`);
  return { spec: spec.spec, id: spec.id, family: spec.family.name, canonical: spec.canonical, knobs: knobValues(spec), params: info?.params ?? null, macs: info?.macs ?? null };
}

export function makeRow(ctx: RowContext, outcome: CellOutcome): ResultRow {
  const { cell, spec, info } = ctx;
  const env: Environment = { ...ctx.env, runtime: outcome.versions ?? {} };
  const ok = outcome.ok ? outcome : undefined;
  return {
    schema: SCHEMA_VERSION,
    sweep: ctx.sweep,
    plan: ctx.plan.name,
    cell: cell.key,
    ...modelColumns(cell, spec, info),
    accuracy: ctx.accuracy,
    runner: cell.runner,
    threads: cell.threads,
    threadsUsed: ok?.threadsUsed ?? null,
    graphOptimization: cell.graphOptimization,
    runnerSettings: ok?.runnerSettings ?? {},
    latency: ok ? { ...ok.stats } : null,
    samplesMs: ok?.samplesMs ?? null,
    processes: ctx.plan.measure.processes,
    converged: ok?.converged ?? null,
    warmupRuns: ok?.warmupRuns ?? null,
    sessionCreateMs: ok?.sessionCreateMs ?? null,
    firstRunMs: ok?.firstRunMs ?? null,
    peakRssMb: ok?.peakRssMb ?? null,
    profile: ok?.profile ?? null,
    load: ok?.load ? loadOf(ok.load, ok.threadsUsed || cell.threads, ok.samplesMs) : null,
    env,
    startedAt: ctx.startedAt.toISOString(),
    durationS: (Date.now() - ctx.startedAt.getTime()) / 1000,
    error: outcome.ok ? null : { code: outcome.code, message: outcome.message },
  };
}
