/** Predictions from a stored predictor, with what the user must know: another machine, a spec outside the space. */
import type { ModelSpec } from '@mvbench/dsl';
import { outsideSpace } from '@mvbench/space';
import type { Calibration } from '@mvbench/results';
import type { EnvironmentFingerprint } from '@mvbench/runner-core';
import { specFeatures } from './features.ts';
import { predictModel } from './fit.ts';
import type { LoadedPredictor, Predictor } from './store.ts';

export interface Prediction {
  spec: string;
  /** predicted median latency, ms */
  ms: number;
  /** the 90% interval from the cross-validated residuals */
  lo: number;
  hi: number;
  /** knob values beyond what the predictor was built on: the prediction extrapolates */
  outside: string[];
}

/** `scale` multiplies the prediction (another machine's speed relative to the one it was built on) */
export function predict(p: LoadedPredictor, spec: ModelSpec, scale = 1): Prediction {
  const ms = predictModel(p.fitted, specFeatures(spec)) * scale;
  const [qlo, qhi] = p.crossValidation.interval;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { spec: spec.spec, ms: round(ms), lo: round(ms * (1 + qlo)), hi: round(ms * (1 + qhi)), outside: outsideSpace(spec, p.searchSpace) };
}

/** sentences saying how this machine differs from the one the predictor was built on (empty: the same kind) */
export function machineMismatch(p: Predictor, here: EnvironmentFingerprint, runtime: Record<string, string>): string[] {
  const out: string[] = [];
  if (here.cpuModel !== p.machine.cpuModel || here.cores !== p.machine.cores)
    out.push(`built on ${p.machine.cpuModel} (${p.machine.cores} cores), this machine is ${here.cpuModel} (${here.cores} cores)`);
  for (const [pkg, v] of Object.entries(p.runtime))
    if (runtime[pkg] && runtime[pkg] !== v) out.push(`built with ${pkg} ${v}, this machine has ${runtime[pkg]}`);
  return out;
}

/** how much slower this machine is than the predictor's (its calibration's GFLOP/s at the thread count over ours) */
export function speedScale(p: Predictor, here: Calibration): number | undefined {
  if (!p.calibration) return undefined;
  const g = (c: Calibration) => (p.threads >= 2 ? c.matmulGflops2 : c.matmulGflops1);
  return g(p.calibration) / g(here);
}
