/**
 * What a browser costs per sweep cell, apart from inference: `ort-web:wasm-browser` cells, each in its own process
 * as the sweep runs them, with the overhead broken down (launch or connect, page, wasm compile, model transfer,
 * session creation) and the in-page inference time beside it (measure() over the page's performance.now()).
 *
 *   pnpm tsx benchmarks/browser-overhead/overhead.ts [--models a,b|canonical] [--threads 1] [--repeats 1]
 *     [--budget-ms 1500] [--json] [--out results/benchmarks/browser-overhead.json]
 *
 * Two passes over the same cells:
 *   own     every cell launches its own Chromium (no endpoint given)
 *   shared  one Chromium for the whole pass: ensureSharedBrowser() here, each cell is handed its endpoint and
 *           connects to it (as the sweep's cells do); the pass reports how often it launched
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canonicalIds } from '@mvbench/dsl';
import { prepareModel } from '@mvbench/pipeline';
import { environmentFingerprint, fixtureInput, measure, type Clock } from '@mvbench/runner-core';
import { closeSharedBrowser, createOrtWebBrowserRunner, ensureSharedBrowser, type BrowserOverhead } from '@mvbench/runner-ort-web';
import { num } from '../args.ts';

const { values: a } = parseArgs({
  options: {
    models: { type: 'string', default: 'mobilevit_xxs,mobilevitv2_050,swiftformer_xs,mobilenetv2_100' },
    threads: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '1' },
    'budget-ms': { type: 'string', default: '1500' },
    json: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/benchmarks/browser-overhead.json' },
    cell: { type: 'string' }, // internal: run one cell in this process and report it over IPC
    'browser-ws': { type: 'string' }, // internal: the shared Chromium's endpoint for that cell
  },
});

interface CellReport {
  model: string;
  cellMs: number; // wall time of the whole cell process, Node start included
  sharedBrowser: boolean;
  overheadMs: BrowserOverhead;
  firstRunMs: number;
  inferenceMedianMs: number;
  threads: number;
}

/** one sweep-like cell: runner, prepare, first run, in-page measurement, dispose */
async function cell(spec: string): Promise<Omit<CellReport, 'cellMs'>> {
  const { artifact } = prepareModel(spec, { seed: 0 });
  const runner = createOrtWebBrowserRunner({ browserWs: a['browser-ws'] });
  try {
    const p = await runner.prepare(artifact, { threads: num(a, 'threads') });
    const feeds = { [artifact.inputs[0].name]: fixtureInput(artifact.inputs[0].shape) };
    const [firstRunMs] = await runner.timeRuns!(p, feeds, 1);
    // measure() reads a clock that advances by the in-page time of each run: its samples are the page's numbers
    let now = 0n;
    const clock: Clock = () => now;
    const m = await measure(async () => {
      const [ms] = await runner.timeRuns!(p, feeds, 1);
      now += BigInt(Math.round(ms * 1e6));
    }, { clock, budgetMs: num(a, 'budget-ms'), warmup: { maxMs: num(a, 'budget-ms') } });
    const { sharedBrowser, threads } = p.settingsUsed as { sharedBrowser: boolean; threads: number };
    return { model: spec, sharedBrowser, threads, overheadMs: p.overheadMs, firstRunMs, inferenceMedianMs: m.stats.median };
  } finally {
    await runner.dispose();
  }
}

function runCell(spec: string, browserWs?: string): Promise<CellReport> {
  const t0 = performance.now();
  const ws = browserWs ? ['--browser-ws', browserWs] : [];
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--cell', spec, '--threads', a.threads!, '--budget-ms', a['budget-ms']!, ...ws], {
      execArgv: ['--import', 'tsx'],
    });
    let report: Omit<CellReport, 'cellMs'> | undefined;
    child.on('message', (m: typeof report) => (report = m));
    child.on('exit', (code) => (report ? resolve({ ...report, cellMs: performance.now() - t0 }) : reject(new Error(`cell ${spec} exited with ${code}`))));
  });
}

const fmt = (x: number) => x.toFixed(x < 10 ? 1 : 0).padStart(7);
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

async function main() {
  const models = a.models === 'canonical' ? canonicalIds() : a.models!.split(',');
  const cells = Array.from({ length: num(a, 'repeats') }, () => models).flat();
  const passes: Record<string, { reports: CellReport[]; launches?: number; wallMs: number }> = {};

  let t0 = performance.now();
  const own: CellReport[] = [];
  for (const spec of cells) own.push(await runCell(spec));
  passes.own = { reports: own, wallMs: performance.now() - t0 };

  t0 = performance.now();
  const shared: CellReport[] = [];
  let launches = 0;
  try {
    for (const spec of cells) {
      const browser = await ensureSharedBrowser();
      launches += Number(browser.launched);
      shared.push(await runCell(spec, browser.wsEndpoint));
    }
  } finally {
    await closeSharedBrowser();
  }
  passes.shared = { reports: shared, launches, wallMs: performance.now() - t0 };

  const file = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), a.out);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ environment: environmentFingerprint(), passes }, null, 1) + '\n');
  if (a.json) return console.log(JSON.stringify(passes, null, 2));
  const cols = ['launch', 'page', 'wasmInit', 'transfer', 'session'] as const;
  for (const [name, pass] of Object.entries(passes)) {
    console.log(`\n${name} browser${pass.launches !== undefined ? ` (Chromium launched ${pass.launches}x for ${pass.reports.length} cells)` : ''}, ` +
      `${(pass.wallMs / 1000).toFixed(1)} s, ms:`);
    console.log(`${'model'.padEnd(18)}${cols.map((c) => c.padStart(9)).join('')}  overhead   cell(process)  first run  inference(median, in page)`);
    for (const r of pass.reports) {
      const total = cols.reduce((s, c) => s + r.overheadMs[c], 0);
      console.log(`${r.model.padEnd(18)}${cols.map((c) => `  ${fmt(r.overheadMs[c])}`).join('')}  ${fmt(total)}  ${fmt(r.cellMs)}        ${fmt(r.firstRunMs)}  ${fmt(r.inferenceMedianMs)}   (${r.threads} thr${r.sharedBrowser ? ', shared' : ''})`);
    }
    const med = (c: (typeof cols)[number]) => median(pass.reports.map((r) => r.overheadMs[c]));
    console.log(`${'median'.padEnd(18)}${cols.map((c) => `  ${fmt(med(c))}`).join('')}  ${fmt(median(pass.reports.map((r) => cols.reduce((s, c) => s + r.overheadMs[c], 0))))}  ${fmt(median(pass.reports.map((r) => r.cellMs)))}`);
  }
}

if (a.cell) {
  process.on('disconnect', () => process.exit(1));
  const report = await cell(a.cell);
  process.send!(report, undefined, {}, () => process.exit(0));
} else await main();
