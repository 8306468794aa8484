/**
 * The search section, for rows of `mvbench search` (rows with `search`): every run's front against the papers' models
 * (its anchors, generation -1) on latency and proxy top-1, the hypervolume over time per run (NSGA-II and the random
 * baseline side by side when the file holds both), and the fronts' specs as a table to copy from.
 *
 * Rows are read in file order, all runs of the file (not the latest row per cell: two runs share cells). A candidate
 * takes its latest latency (measured after predicted) and the top-1 of its highest fidelity, as the search does.
 */
import { hypervolume } from '@mvbench/core';
import type { ResultRow } from '@mvbench/results';
import { esc } from '../table.ts';
import { CONFIG, SCHEMA, type Figure } from './common.ts';

const ANCHOR_GENERATION = -1;

interface Candidate {
  run: string;
  spec: string;
  generation: number;
  ms: number | null;
  measured: boolean;
  top1: number | null;
  fidelity: number | null;
  paramsM: number | null;
  feasible: boolean;
  canonical: boolean;
}

interface Run {
  run: string;
  /** e.g. 'nsga2 seed 0' */
  label: string;
  method: string;
  candidates: Map<string, Candidate>;
  /** after each row: minutes of evaluation so far and the front's hypervolume points */
  steps: { minutes: number; points: number[][] }[];
}

/** the non-dominated candidates (lower ms, higher top-1), fastest first: one sweep over them sorted by latency */
const frontOf = (cs: Iterable<Candidate>): Candidate[] => {
  const ok = [...cs].filter((c) => c.feasible && c.ms !== null && c.top1 !== null && c.generation !== ANCHOR_GENERATION);
  const front: Candidate[] = [];
  for (const c of ok.sort((a, b) => a.ms! - b.ms! || b.top1! - a.top1!)) {
    const last = front.at(-1);
    if (!last || c.top1! > last.top1! || (c.top1 === last.top1 && c.ms === last.ms)) front.push(c);
  }
  return front;
};

function searchRuns(all: readonly ResultRow[]): Run[] {
  const runs = new Map<string, Run>();
  for (const r of all) {
    const s = r.search;
    if (!s) continue;
    const run: Run = runs.get(r.sweep) ?? { run: r.sweep, label: `${s.method} seed ${s.seed}`, method: s.method, candidates: new Map(), steps: [] };
    runs.set(r.sweep, run);
    const c: Candidate = run.candidates.get(r.spec) ?? { run: r.sweep, spec: r.spec, generation: s.generation, ms: null, measured: false, top1: null, fidelity: null, paramsM: r.params === null ? null : r.params / 1e6, feasible: true, canonical: r.canonical };
    run.candidates.set(r.spec, c);
    if (s.measuredMs !== null) [c.ms, c.measured] = [s.measuredMs, true];
    else if (s.predictedMs !== null && !c.measured) c.ms = s.predictedMs;
    c.feasible = s.violations.length === 0;
    const trained = r.accuracy.kind !== 'zero-cost' && s.fidelity !== null && r.accuracy.value !== null;
    if (trained && (c.fidelity === null || s.fidelity! >= c.fidelity)) [c.top1, c.fidelity] = [r.accuracy.value, s.fidelity];
    const minutes = (run.steps.at(-1)?.minutes ?? 0) + r.durationS / 60;
    run.steps.push({ minutes, points: frontOf(run.candidates.values()).map((f) => [f.ms!, 100 - f.top1!]) });
  }
  return [...runs.values()];
}

/** each run's front and the anchors (canonical models) with a latency and a top-1 */
function frontsAndAnchors(runs: readonly Run[]) {
  const fronts = runs.flatMap((r) => frontOf(r.candidates.values()).map((c) => ({ ...c, label: r.label })));
  const anchors = new Map(runs.flatMap((r) => [...r.candidates.values()].filter((c) => c.generation === ANCHOR_GENERATION && c.ms !== null && c.top1 !== null && c.feasible).map((c) => [c.spec, c] as const)));
  return { fronts, anchors };
}

export function searchFigures(all: readonly ResultRow[], provenance: string): Figure[] {
  const runs = searchRuns(all);
  if (!runs.length) return [];
  const { fronts, anchors } = frontsAndAnchors(runs);
  const evaluated = runs.flatMap((r) => [...r.candidates.values()].filter((c) => c.feasible && c.ms !== null && c.top1 !== null && c.generation !== ANCHOR_GENERATION).map((c) => ({ ...c, label: r.label })));
  const reference = [1.1 * Math.max(0, ...evaluated.map((c) => c.ms!), ...[...anchors.values()].map((c) => c.ms!)), 100];
  const hv = runs.flatMap((r) => r.steps.map((s) => ({ label: r.label, method: r.method, minutes: s.minutes, hypervolume: hypervolume(s.points, reference) })));
  const subtitle = (...lines: string[]) => [...lines, provenance];
  const label = { field: 'label', type: 'nominal' as const, title: 'search run' };
  const x = { field: 'ms', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'median latency (ms; measured on the front, else predicted), log scale' };
  const y = { field: 'top1', type: 'quantitative' as const, scale: { zero: false }, title: 'proxy top-1 % (highest fidelity trained)' };
  const tooltip = [{ field: 'spec', title: 'model spec' }, { field: 'ms', title: 'ms', format: '.3~f' }, { field: 'top1', title: 'proxy top-1 %' }, { field: 'fidelity', title: 'fidelity' }, { field: 'paramsM', title: 'params (M)', format: '.3~f' }, { field: 'generation', title: 'generation' }];

  const frontFigure: Figure = {
    id: 'search-front',
    title: 'Search: the found fronts against the papers\' models',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Search: the found fronts against the papers\' models', subtitle: subtitle(`${evaluated.length} candidates within the limits in ${runs.length} run(s); lines: each run's front; black: the canonical models, evaluated the same way`) },
      config: CONFIG,
      width: 560,
      height: 380,
      layer: [
        { data: { values: evaluated }, mark: { type: 'point', color: '#bbb', size: 30 }, encoding: { x, y, tooltip } },
        { data: { values: fronts }, mark: { type: 'line', point: { filled: true, size: 70 }, interpolate: 'step-after' }, encoding: { x, y, color: label, tooltip } },
        { data: { values: [...anchors.values()] }, mark: { type: 'point', shape: 'diamond', filled: true, color: 'black', size: 110 }, encoding: { x, y, tooltip } },
        { data: { values: [...anchors.values()] }, mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 }, encoding: { x, y, text: { field: 'spec' } } },
      ],
    },
  };
  const hvFigure: Figure = {
    id: 'search-hypervolume',
    title: 'Search: hypervolume over time',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Search: hypervolume over time', subtitle: subtitle(`of latency and proxy top-1 error, one reference point for all runs (${reference[0].toFixed(1)} ms, 100 %); higher is better; it drops where a front member's measured latency replaces a lower prediction`) },
      config: CONFIG,
      width: 560,
      height: 260,
      data: { values: hv },
      mark: { type: 'line', interpolate: 'step-after', point: { size: 20 } },
      encoding: {
        x: { field: 'minutes', type: 'quantitative', title: 'minutes of evaluation (the rows\' durations)' },
        y: { field: 'hypervolume', type: 'quantitative', title: 'hypervolume (ms x % points)' },
        color: { field: 'method', type: 'nominal', title: 'method' },
        detail: label,
        tooltip: [label, { field: 'minutes', format: '.1f' }, { field: 'hypervolume', format: '.4~r' }],
      },
    },
  };
  return [frontFigure, hvFigure];
}

/** the fronts' specs as an HTML table (empty without search rows) */
export function searchTable(all: readonly ResultRow[]): string {
  const runs = searchRuns(all);
  if (!runs.length) return '';
  const { fronts, anchors } = frontsAndAnchors(runs);
  const beats = (c: Candidate) => [...anchors.values()].filter((a) => c.measured && a.measured && !c.canonical && c.ms! < a.ms! && c.top1! >= a.top1!).map((a) => a.spec);
  const tableRows = fronts.map((c) => `<tr><td>${esc(c.label)}</td><td><code>${esc(c.spec)}</code></td><td>${c.ms!.toFixed(2)}${c.measured ? '' : ' (predicted)'}</td><td>${c.top1!.toFixed(1)}</td><td>${c.paramsM?.toFixed(2) ?? '-'}</td><td>${esc(beats(c).join(', ') || '-')}</td></tr>`);
  return `<section id="search-table"><h2>Search: the fronts' models</h2><p class="help">Each run's front, fastest first. A spec string is what <code>mvbench info</code>, <code>emit</code> and <code>sweep --models</code> take. "Beats" names the canonical models it is faster than at equal or better proxy top-1 (both latencies measured).</p>
<div class="scroll"><table><thead><tr><th>run</th><th>spec</th><th>ms</th><th>proxy top-1 %</th><th>params (M)</th><th>beats</th></tr></thead><tbody>${tableRows.join('')}</tbody></table></div></section>`;
}
