/**
 * Progress of a count (images, steps) with throughput and ETA: a bar on a terminal (cli-progress), a line every
 * few seconds otherwise (CI logs). Silent when disabled (--json).
 */
import cliProgress from 'cli-progress';

export interface Counter {
  /** `done` of the total so far; `note` replaces the text after the rate */
  update(done: number, note?: string): void;
  stop(): void;
}

export function createCounter(label: string, total: number, unit: string, enabled: boolean): Counter {
  if (!enabled) return { update() {}, stop() {} };
  const t0 = Date.now();
  const rate = (done: number) => done / Math.max((Date.now() - t0) / 1000, 1e-3);
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} {bar} {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} {note}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '-', note: '' });
    return {
      update: (done, note = '') => bar.update(done, { rate: rate(done).toFixed(1), note }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, note = '') {
      if (Date.now() - last < 5000 && done < total) return;
      last = Date.now();
      const eta = (total - done) / rate(done);
      process.stderr.write(`${label}: ${done}/${total} ${unit}, ${rate(done).toFixed(1)} ${unit}/s, ETA ${Math.round(eta)} s ${note}\n`);
    },
    stop() {},
  };
}
