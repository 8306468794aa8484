/**
 * A constraint nothing in the space can meet is a user error before the search starts: per family, the space's
 * smallest model (every numeric knob at its smallest option, the names and ids that give the fewest MACs) is
 * checked against the params and MACs limits, and measured against the latency limit.
 */
import { userError } from '@mvbench/core';
import { buildModel, modelInfo, type KnobSetting, type ModelInfo, type ModelSpec } from '@mvbench/dsl';
import { buildable, SCALAR_KNOBS, specOf, STAGE_KNOBS, type FamilySpace, type SearchSpace } from '@mvbench/space';
import type { Constraints, LatencyFn } from './evaluate.ts';

/** the family's buildable model with the fewest MACs among the smallest numeric options */
function smallestOf(fs: FamilySpace): { spec: ModelSpec; info: ModelInfo } | undefined {
  const base: KnobSetting = {};
  const named: [string, readonly (string | number)[]][] = [];
  for (const k of SCALAR_KNOBS) {
    const opts = fs.scalar[k];
    if (!opts) continue;
    if (opts.every((v) => typeof v === 'number')) base[k] = Math.min(...(opts as number[]));
    else named.push([k, opts]);
  }
  for (const k of STAGE_KNOBS) if (fs.stages[k]) base[k] = fs.stages[k]!.map((o) => Math.min(...o));
  let settings: KnobSetting[] = [base];
  for (const [k, opts] of named) settings = settings.flatMap((s) => opts.map((v) => ({ ...s, [k]: v })));
  let best: { spec: ModelSpec; info: ModelInfo } | undefined;
  for (const id of fs.ids)
    for (const knobs of settings) {
      const spec = specOf({ family: fs, id, knobs });
      if (!buildable(spec)) continue;
      const info = modelInfo(buildModel(spec));
      if (!best || info.macs < best.info.macs) best = { spec, info };
    }
  return best;
}

export async function checkConstraints(space: SearchSpace, c: Constraints, latency: LatencyFn, log: (line: string) => void): Promise<void> {
  const smallest = space.families.map(smallestOf).filter((x) => x !== undefined);
  const fail = (what: string, flag: string, best: string) =>
    userError('BAD_ARGUMENT', `no model in the search space meets ${flag}: the smallest ${what} is ${best}; raise ${flag} or widen the space`);
  const minBy = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, b) => (f(b) < f(a) ? b : a));
  if (!smallest.length) return;
  if (c.maxParams !== undefined && smallest.every((s) => s.info.params > c.maxParams!)) {
    const s = minBy(smallest, (x) => x.info.params);
    throw fail('parameter count', '--max-params', `${s.info.params.toLocaleString('en-US')} (${s.spec.spec})`);
  }
  if (c.maxMacs !== undefined && smallest.every((s) => s.info.macs > c.maxMacs!)) {
    const s = minBy(smallest, (x) => x.info.macs);
    throw fail('MAC count', '--max-macs', `${s.info.macs.toLocaleString('en-US')} (${s.spec.spec})`);
  }
  if (c.maxLatencyMs === undefined) return;
  const measured: [string, number][] = [];
  for (const s of smallest) {
    const l = await latency(s.spec);
    log(`smallest ${s.spec.family.name} model ${s.spec.spec}: ${Number.isFinite(l.ms) ? l.ms.toFixed(2) + ' ms' : l.error}`);
    if (l.ms <= c.maxLatencyMs) return;
    if (Number.isFinite(l.ms)) measured.push([s.spec.spec, l.ms]);
  }
  if (!measured.length) return; // no measurement worked: the search's rows will say why
  const [spec, ms] = minBy(measured, (x) => x[1]);
  throw fail('latency', '--max-latency', `${ms.toFixed(2)} ms (${spec})`);
}
