/**
 * Each claim judged from result rows, per runner setting (runner and thread count): the measured ratio of the
 * claim's two cells with its 95% CI from their samples (regress's compare: percentile bootstrap of the ratio of
 * medians), the top-1 the rows carry, and a verdict (verdict.ts). Cells a claim needs but the rows lack are listed
 * with the command that measures them.
 */
import { compare } from '@mvbench/regress/decide';
import { latestPerCell, type ResultRow } from '@mvbench/results';
import { CLAIMS, type Claim } from './claims.ts';
import { tokenScaling, type TokenScaling } from './scaling.ts';
import { complexityVerdict, overheadVerdict, speedVerdict, type Interval, type Verdict } from './verdict.ts';

export interface Top1 {
  spec: string;
  value: number | null;
  kind: string;
  source: string | null;
}

export interface ClaimLine {
  claim: string;
  /** e.g. 'ort-node:cpu t1' */
  setting: string;
  /** the cells compared, e.g. 'mobilevitv2_075 vs mobilevit_xs' */
  compared: string;
  /** the measured figure in words, e.g. '2.41x [2.38, 2.45]' */
  measured: string;
  ratio: Interval | null;
  top1: Top1[];
  verdict: Verdict;
  why: string;
  /** a cell was measured while other processes competed for the CPU */
  contended: boolean;
}

export interface ClaimResult {
  claim: Claim;
  lines: ClaimLine[];
  /** cells the claim needs that the rows lack or that failed, and how to measure them */
  missing: { cells: string[]; command: string }[];
}

export interface ClaimsReport {
  results: ClaimResult[];
  scaling: TokenScaling | null;
  /** claims with at least one verdict other than 'not measured' */
  judged: number;
}

type Setting = { runner: string; threads: number };
const label = (s: Setting) => `${s.runner} t${s.threads}`;
const fmt = (x: Interval, unit = 'x') => `${x.value.toFixed(2)}${unit} [${x.low.toFixed(2)}, ${x.high.toFixed(2)}]`;
const sweepCommand = (specs: string[], s: Setting) => `pnpm mvbench sweep --models ${specs.join(',')} --runner ${s.runner} --threads ${s.threads}`;

/** measured rows by spec and setting; graph optimisation 'all' where a file holds several levels */
function index(rows: readonly ResultRow[]): { get: (spec: string, s: Setting) => ResultRow | undefined; settings: Setting[] } {
  const latest = latestPerCell(rows);
  const opt = latest.some((r) => r.graphOptimization === 'all') ? latest.filter((r) => r.graphOptimization === 'all') : latest;
  const byKey = new Map(opt.map((r) => [`${r.spec}|${r.runner}|${r.threads}`, r]));
  const settings = [...new Map(opt.filter((r) => r.latency).map((r) => [`${r.runner}|${r.threads}`, { runner: r.runner, threads: r.threads }])).values()]
    .sort((a, b) => a.runner.localeCompare(b.runner) || a.threads - b.threads);
  return { get: (spec, s) => byKey.get(`${spec}|${s.runner}|${s.threads}`), settings: settings.length ? settings : [{ runner: 'ort-node:cpu', threads: 1 }] };
}

const unusable = (r: ResultRow | undefined, spec: string) =>
  !r ? `${spec} is not in the file` : r.error ? `${spec} failed (${r.error.code})` : !r.samplesMs?.length ? `${spec} has no samples` : null;

const top1Of = (r: ResultRow): Top1 => ({ spec: r.spec, value: r.accuracy.value, kind: r.accuracy.kind, source: r.accuracy.source });

/** ratio median(b) / median(a) with its 95% bootstrap CI, or why it cannot be measured */
type Measured = { why: string; missing: string[] } | { ratio: Interval; rows: [ResultRow, ResultRow] };

function pairLine(a: string, b: string, get: (spec: string) => ResultRow | undefined): Measured {
  const [ra, rb] = [get(a), get(b)];
  const why = unusable(ra, a) ?? unusable(rb, b);
  if (why) return { why, missing: [a, b].filter((spec, i) => unusable([ra, rb][i], spec)) };
  const c = compare(ra!.samplesMs!, rb!.samplesMs!).ratio;
  return { ratio: { value: c.ratio, low: c.low, high: c.high }, rows: [ra!, rb!] };
}

function speedOrOverhead(claim: Extract<Claim, { kind: 'speed' | 'overhead' }>, settings: Setting[], get: (spec: string, s: Setting) => ResultRow | undefined): ClaimResult {
  const lines: ClaimLine[] = [];
  const missing: ClaimResult['missing'] = [];
  for (const s of settings) {
    const specs: string[] = [];
    for (const pair of claim.pairs) {
      // speed: slower / faster (the speed-up); overhead: with / without attention
      const [a, b] = 'faster' in pair ? [pair.faster, pair.slower] : [pair.without, pair.with];
      const compared = 'faster' in pair ? `${pair.faster} vs ${pair.slower}` : `${pair.with} vs ${pair.without}`;
      const m = pairLine(a, b, (spec) => get(spec, s));
      const base = { claim: claim.id, setting: label(s), compared };
      if ('why' in m) {
        lines.push({ ...base, measured: '—', ratio: null, top1: [], verdict: 'not measured', why: m.why, contended: false });
        specs.push(...m.missing);
        continue;
      }
      const v = claim.kind === 'speed' ? speedVerdict(m.ratio, claim.factor) : overheadVerdict(m.ratio);
      const top1 = claim.kind === 'speed' ? [top1Of(m.rows[0]), top1Of(m.rows[1])] : [];
      lines.push({ ...base, measured: fmt(m.ratio), ratio: m.ratio, top1, ...v, contended: m.rows.some((r) => !!r.load?.contended) });
    }
    const unique = [...new Set(specs)];
    if (unique.length) missing.push({ cells: unique.map((spec) => `${spec}|${label(s)}`), command: sweepCommand(unique, s) });
  }
  return { claim, lines, missing };
}

function complexity(claim: Claim, scaling: TokenScaling | null, settings: Setting[]): ClaimResult {
  const command = 'pnpm mvbench sweep --plan token-scaling';
  if (!scaling) {
    const lines = settings.map((s): ClaimLine => ({ claim: claim.id, setting: label(s), compared: 'one architecture, each attention kind, several resolutions', measured: '—', ratio: null, top1: [], verdict: 'not measured', why: 'the file has no resolution sweep of each attention kind', contended: false }));
    return { claim, lines, missing: [{ cells: ['a resolution sweep (>= 3 resolutions) of mhsa, separable and additive attention'], command }] };
  }
  const lines = [...new Set(scaling.fits.map((f) => f.setting))].map((setting): ClaimLine => {
    const fit = (kind: string) => scaling.fits.find((f) => f.setting === setting && f.kind === kind && f.series === 'attention blocks')?.exponent;
    const [mhsa, separable, additive] = [fit('mhsa'), fit('separable'), fit('additive')];
    const compared = `${scaling.model}, attention blocks`;
    if (!mhsa || !separable || !additive)
      return { claim: claim.id, setting, compared, measured: '—', ratio: null, top1: [], verdict: 'not measured', why: 'no attention time: rows without a profile need the attention=none cells', contended: false };
    const cross = scaling.crossovers.find((c) => c.setting === setting);
    const measured = `k^e: mhsa ${fmt(mhsa, '')}, separable ${fmt(separable, '')}, additive ${fmt(additive, '')}${cross ? `; ${cross.note}` : ''}`;
    return { claim: claim.id, setting, compared, measured, ratio: null, top1: [], ...complexityVerdict({ mhsa, separable, additive }), contended: false };
  });
  return { claim, lines, missing: [] };
}

export function evaluateClaims(rows: readonly ResultRow[]): ClaimsReport {
  const { get, settings } = index(rows);
  const scaling = tokenScaling(latestPerCell(rows));
  const results = CLAIMS.map((claim) => (claim.kind === 'complexity' ? complexity(claim, scaling, settings) : speedOrOverhead(claim, settings, get)));
  return { results, scaling, judged: results.filter((r) => r.lines.some((l) => l.verdict !== 'not measured')).length };
}
