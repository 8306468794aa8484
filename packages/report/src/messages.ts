/** Every user-facing message of the report (notes, explanations, provenance), in one place. */

import type { Calibration } from '@mvbench/results';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const fmt = (x: number, digits = 2) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(digits + 1).replace(/\.?0+$/, ''));

export const msg = {
  threads: (n: number) => plural(n, 'thread'),
  cells: (n: number) => plural(n, 'cell'),
  threadsUsed: (setting: string, used: string[]) => `${setting} → ${used.length ? used.join('/') : 'unknown'} used`,

  noAccuracy: (cells: number) =>
    `No cell has an accuracy value (all ${cells} are of kind 'none'), so there is no Pareto front. ` +
    `Run the sweep with an accuracy kind (plan.accuracy or --accuracy: published, evaluated, proxy, zero-cost) to see one.`,
  paretoSubtitle: (ciLevel: string, withoutAccuracy: number) => [
    `Coloured and joined: the Pareto front per runner and thread count (faster and more accurate than every other point); grey: dominated. Bars: ${ciLevel} CI of the median.`,
    ...(withoutAccuracy ? [`${plural(withoutAccuracy, 'cell')} without an accuracy value (kind 'none', or no value for that spec: see the table) are left out; they appear in the latency figures and the table.`] : []),
    'Each kind of accuracy (published, evaluated, proxy, zero-cost) and each dataset gets its own panel: they are never on one axis.',
  ],
  noLatency: 'No cell has a latency (every cell failed or none ran): see the table for the errors.',
  noParams: 'No cell with a latency has a parameter count.',
  noMacs: 'No cell with a latency has a MAC count.',
  paramsSubtitle: (ciLevel: string) => [`Median latency per cell; bars: ${ciLevel} CI. Parameters predict memory, not speed.`],
  macsSubtitle: (ciLevel: string, spread: { slow: string; fast: string; slowMacs: number; fastMacs: number; ratio: number; setting: string } | null) => [
    spread
      ? `MACs are not latency: ${spread.slow} (${fmt(spread.slowMacs)} GMACs) takes ${fmt(spread.ratio)}x as long as ${spread.fast} (${fmt(spread.fastMacs)} GMACs) on ${spread.setting}.`
      : 'MACs are not latency: layout shuffles, softmax and memory traffic cost time without adding MACs.',
    `Median latency per cell; bars: ${ciLevel} CI.`,
  ],
  noWidthSweep: 'No width sweep in these results: no family has the same attention kind measured at two or more widths.',
  widthSubtitle: (ciLevel: string) => [
    `Lines join models that differ only in width (same family, attention, patch, resolution, runner and threads). Bars: ${ciLevel} CI.`,
  ],
  noPatchPairs: 'No Config-A/Config-B pair in these results: measure a model with patch=A and patch=B to compare.',
  patchSubtitle: (ciLevel: string) => [`Median latency of each model with Config-A and Config-B patches; the label is B / A. Bars: ${ciLevel} CI.`],
  noProfile: 'No cell has a profile: run the sweep with profiling on (plan.profile) to see where the time goes.',
  breakdownSubtitle: (by: string) => [
    `Kernel time per inference by ${by}, from a separate profiled session (profiling adds overhead);`,
    'the black tick is the unprofiled median latency of the same cell.',
  ],
  provenance: (plan: string, machines: string, generatedAt: string) => `mvbench · plan ${plan} · ${machines} · ${generatedAt}`,

  summary: (cells: number, ok: number, failed: number) => `${plural(cells, 'cell')}: ${ok} measured, ${failed} failed`,
  failuresByCode: (codes: [string, number][]) => codes.map(([c, n]) => `${c} x${n}`).join(', '),
  unknownMachine: 'unknown machine (no fingerprint recorded)',
  tableHelp: 'Click a column header to sort; click again to reverse. Failed cells show their error; CONTENDED cells were measured while other processes competed for the CPU (not comparable with the others: re-measure them with sweep --resume --retry-contended). CI: 95% of the median unless a lower coverage is marked (fewer than 6 runs).',
  contended: (otherCores: number) => `CONTENDED: other processes kept ${fmt(otherCores)} cores busy during the timed runs`,
  coverage: (c: number) => `${(c * 100).toFixed(1)}% CI`,
  lowCoverageCells: (n: number) => `less for ${plural(n, 'cell')} with fewer than 6 runs, marked in the table`,
  calibration: (c: Calibration) =>
    `MatMul ${fmt(c.matmulGflops1, 3)} GFLOP/s with 1 thread, ${fmt(c.matmulGflops2, 3)} with 2 (x${c.scaling2.toFixed(2)}), copy ${fmt(c.memoryGBps)} GB/s` +
    `${c.cpuFlags.length ? `, ${c.cpuFlags.join(' ')}` : ''}; spread ${(c.relSpread * 100).toFixed(0)}%${c.otherCpuShare > 0.1 ? `, other processes used ${(c.otherCpuShare * 100).toFixed(0)}% of the CPU meanwhile` : ''}`,
  mixedMachines: (slow: number, fast: number, ratio: number, threshold: number) =>
    `These results mix machines of different speed: the calibration MatMul ran at ${fmt(slow, 3)} GFLOP/s (1 thread) on the slowest and ` +
    `${fmt(fast, 3)} on the fastest (x${ratio.toFixed(2)}, more than x${threshold}). Compare cells across machines in the figure ` +
    `'MACs vs latency relative to the machine' (MatMul-equivalent GFLOP), not in ms.`,
  uncalibrated: (n: number) => `${plural(n, 'cell')} carry no calibration (measured before calibrations existed): their machine's speed is unknown.`,
  noCalibration: 'No measured cell with MACs carries a calibration (rows written before calibrations existed): latency relative to the machine is unknown.',
  calibratedSubtitle: (ciLevel: string) => [
    'Latency x the GFLOP/s of the calibration MatMul (same run, same thread count): the work that MatMul would do in',
    `the same time. Comparable across machines of different speed; lower is faster. Bars: ${ciLevel} CI.`,
  ],
  noPredictions: 'No cell carries a predicted latency: sweep with --predict on a runner setting that has a predictor in results/predictors (mvbench predictor build).',
  predictedSubtitle: (n: number, within10: number) => [
    `${within10} of ${n} cells (${Math.round((within10 / n) * 100)}%) predicted within +/-10% of their measured median (dashed lines).`,
    'Predictions come from the predictor of the cell\'s runner and thread count, built on this machine kind.',
  ],
  renderFailed: 'This figure could not be rendered: ',
  claimsHelp:
    "Each claim beside the measured ratio per runner and thread count, with its 95% CI (bootstrap of the cells' samples). " +
    "Speed (A f x faster than B): holds when the CI's low end is above 1 and at least 0.8 f; holds weaker when only above 1; does not hold when the CI contains 1; reversed when it lies below 1. " +
    'all-stages: holds when attention adds at most 10% (CI high), does not hold above 25% (CI low). complexity: exponent e of time ~ k^e (95% t interval); holds when mhsa >= 1.5 and the others <= 1.25. ' +
    'Top-1 is what the rows carry (published figures are the papers\' own).',
  claimsMissing: 'Cells missing for a verdict, and the command that measures them:',
  scalingSubtitle: (model: string, crossovers: string[]) => [
    `${model}: each attention kind at several resolutions. Dashed: least-squares fit of log time on log tokens, exponent with its 95% interval (about 1: linear, about 2: quadratic).`,
    'Attention blocks: the per-node profile where the runtime has one, otherwise the model minus the same model with attention=none.',
    ...(crossovers.length ? [`MHSA, where its quadratic term overtakes the linear one (fit c + a k + b k^2): ${crossovers.join('; ')}.`] : []),
  ],
  noRankingPairs: 'Needs at least two runner settings that measured three or more of the same models.',
};
