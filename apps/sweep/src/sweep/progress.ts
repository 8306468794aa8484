/**
 * Progress with ETA: a bar on a terminal (cli-progress), one line per finished cell otherwise (CI logs).
 */
import cliProgress from 'cli-progress';
import type { Cell } from '@mvbench/plan';
import type { ResultRow } from '@mvbench/results';

export interface Progress {
  start(cell: Cell): void;
  done(row: ResultRow): void;
  stop(): void;
  /** what the cell does besides measuring (a proxy training's step): on the bar, or a line every 15 s in logs */
  note(text: string): void;
}

const fmtEta = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);
/** the CI's coverage when it is below the level the header claims (n < 6: the interval is [min, max]) */
const lowCoverage = (l: NonNullable<ResultRow['latency']>) =>
  l.ciCoverage !== undefined && l.ciCoverage < l.ciLevel ? `, ${(l.ciCoverage * 100).toFixed(0)}% CI` : '';
export const describeRow = (r: ResultRow): string =>
  r.error
    ? `ERROR ${r.error.code}`
    : `${r.latency!.median.toFixed(2)} ms ±${(r.latency!.relCiHalfWidth * 100).toFixed(1)}% (n=${r.latency!.n}${lowCoverage(r.latency!)})` +
      (r.load?.contended ? ` CONTENDED (${r.load.otherCores.toFixed(1)} cores busy elsewhere)` : '');

/** `eta`: ms left as the sweep's budget estimates it (@mvbench/sweep-run, sweep-budget.ts); without it, time per finished cell x cells left */
export function createProgress(total: number, already: number, enabled: boolean, eta?: () => number): Progress {
  const t0 = Date.now();
  let finished = already;
  if (!enabled) return { start() {}, done() {}, stop() {}, note() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `{bar} {value}/{total} cells | ETA ${eta ? '{etaText}' : '{eta_formatted}'} | {cell}`, stream: process.stderr, hideCursor: true, etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    const etaText = () => (eta ? fmtEta(eta() / 1000) : '');
    let current = '';
    bar.start(total, already, { cell: '', etaText: etaText() });
    return {
      start: (cell) => bar.update(finished, { cell: (current = `${cell.spec} ${cell.runner} t${cell.threads}`), etaText: etaText() }),
      done: () => bar.update(++finished),
      stop: () => bar.stop(),
      note: (text) => bar.update(finished, { cell: `${current}: ${text}`, etaText: etaText() }),
    };
  }
  let current = '';
  let lastNote = 0;
  return {
    start: (cell) => void (current = cell.spec),
    note(text) {
      if (Date.now() - lastNote < 15_000) return;
      lastNote = Date.now();
      process.stderr.write(`  ${current}: ${text}\n`);
    },
    done(row) {
      finished++;
      const perCell = (Date.now() - t0) / 1000 / (finished - already);
      const left = eta ? eta() / 1000 : perCell * (total - finished);
      process.stderr.write(`[${finished}/${total}] ${row.spec} ${row.runner} t${row.threads}: ${describeRow(row)}  (ETA ${fmtEta(left)})\n`);
    },
    stop() {},
  };
}
