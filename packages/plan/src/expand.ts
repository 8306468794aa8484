/**
 * Plan -> cells. Axes expand to the cartesian product of their knob values (then normalised and de-duplicated
 * by spec string); cells are specs x runners x threads, in a deterministic order, so shards are reproducible.
 */
import { FAMILIES, parseSpec, type ModelSpec } from '@mvbench/dsl';
import { MvbenchError, userError } from '@mvbench/core';
import { loadOnnxModel, type OnnxCellModel } from './onnx-models.ts';
import type { Plan } from './plan.ts';

export interface Cell {
  /** unique within a sweep: `<spec>|<runner>|t<threads>|<graphOptimization>` */
  key: string;
  spec: string;
  runner: string;
  threads: number;
  graphOptimization: string;
  profile: boolean;
  /** an .onnx file timed as it is (plan `onnx`); `spec` is then its identity, not a model spec */
  onnx?: OnnxCellModel;
}

export function planSpecs(plan: Plan): ModelSpec[] {
  const out = new Map<string, ModelSpec>();
  const add = (text: string, where: string) => {
    try {
      const s = parseSpec(text);
      if (!out.has(s.spec)) out.set(s.spec, s);
    } catch (e) {
      if (e instanceof MvbenchError) throw userError('BAD_PLAN', `plan '${plan.name}' ${where}: ${e.message}`);
      throw e;
    }
  };
  plan.models.forEach((m, i) => add(m, `models.${i}`));
  plan.axes.forEach((a, i) => {
    const family = FAMILIES.find((f) => f.name === a.family);
    if (!family)
      throw userError('BAD_PLAN', `plan '${plan.name}' axes.${i}.family: unknown family '${a.family}'; families: ${FAMILIES.map((f) => f.name).join(', ')}`);
    const ids = a.ids ?? (a.widths && family.widthOf(Object.keys(family.variants)[0]) !== 1 ? [Object.keys(family.variants)[0]] : Object.keys(family.variants));
    // the cartesian product, first axis outermost (the order cells and shards follow)
    const knobAxes: [string, readonly (string | number)[] | undefined][] = [
      ['width', a.widths], ['attention', a.attention], ['patch', a.patch], ['resolution', a.resolution],
      ['depth', a.depth], ['ffn', a.ffn], ['expand', a.expand], ['dims', a.dims],
    ];
    let combos: string[][] = [[]];
    for (const [key, values] of knobAxes) if (values) combos = combos.flatMap((c) => values.map((v) => [...c, `${key}=${v}`]));
    for (const id of ids) for (const knobs of combos) add(knobs.length ? `${id}:${knobs.join(',')}` : id, `axes.${i}`);
  });
  return [...out.values()];
}

/** the plan's .onnx files, read and checked (each file is read once per expansion) */
export const planOnnxModels = (plan: Plan): OnnxCellModel[] => plan.onnx.map((e, i) => loadOnnxModel(e, `plan '${plan.name}' onnx.${i}`));

export function expandPlan(plan: Plan): Cell[] {
  const models: { spec: string; profile: boolean; onnx?: OnnxCellModel }[] = [
    ...planSpecs(plan).map((s) => ({ spec: s.spec, profile: plan.profile === 'all' || (plan.profile === 'canonical' && s.canonical) })),
    ...planOnnxModels(plan).map((onnx) => ({ spec: onnx.spec, profile: plan.profile === 'all', onnx })),
  ];
  const cells: Cell[] = [];
  for (const m of models)
    for (const r of plan.runners)
      for (const threads of r.threads)
        cells.push({ key: `${m.spec}|${r.runner}|t${threads}|${r.graphOptimization}`, spec: m.spec, runner: r.runner, threads, graphOptimization: r.graphOptimization, profile: m.profile, ...(m.onnx && { onnx: m.onnx }) });
  return cells;
}

/** `--shard i/n` (1-based): every n-th cell, so each shard gets a similar mix of small and large models */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw userError('BAD_ARGUMENT', `--shard '${text}': expected i/n with 1 <= i <= n, e.g. 2/4`);
  return { index, count };
}

export const shardCells = (cells: readonly Cell[], shard: { index: number; count: number }): Cell[] =>
  cells.filter((_, i) => i % shard.count === shard.index - 1);

/** above this many cells a sweep asks for --yes: a typo in an axis can make a grid that runs for months */
export const MAX_CELLS_WITHOUT_YES = 2000;

/** the cells a run of `plan` (one shard of it) measures; none, or a grid above the limit without `yes`, is an error */
export function cellsToRun(plan: Plan, shard: { index: number; count: number } | undefined, yes: boolean): Cell[] {
  const all = expandPlan(plan);
  const cells = shard ? shardCells(all, shard) : all;
  if (!cells.length)
    throw userError('BAD_PLAN', `plan '${plan.name}' has no cells${shard ? ` in shard ${shard.index}/${shard.count} (the plan has ${all.length})` : ''}: give models or axes with values`);
  if (cells.length > MAX_CELLS_WITHOUT_YES && !yes)
    throw userError(
      'BAD_PLAN',
      `plan '${plan.name}' has ${cells.length.toLocaleString('en-US')} cells (more than ${MAX_CELLS_WITHOUT_YES}); ` +
        `narrow its axes, split it with --shard i/n, or pass --yes to run them all`,
    );
  return cells;
}
