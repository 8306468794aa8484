/**
 * How far each kind of accuracy can be trusted: a proxy-training sweep over specs across families and attention
 * kinds (mvbench train on the synthetic task), every zero-cost score of the same specs (mvbench score), and the
 * Kendall tau-b between each zero-cost score and proxy accuracy, between proxy accuracy and the published ImageNet
 * top-1 of the canonical models, and between each zero-cost score and published top-1.
 * Each spec runs through the CLI in its own process; results are saved after every spec, and a re-run with the same
 * settings continues where the last stopped.
 *
 *   pnpm tsx benchmarks/accuracy/validation.ts [--epochs 4] [--train-images 2000] [--test-images 500]
 *     [--resolution 64] [--specs a,b,...] [--out results/benchmarks/accuracy-validation.json]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseSpec } from '@mvbench/dsl';
import { environmentFingerprint } from '@mvbench/runner-core';
import { kendallTau } from '@mvbench/core';
import { num } from '../args.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: a } = parseArgs({
  options: {
    epochs: { type: 'string', default: '4' },
    'train-images': { type: 'string', default: '2000' },
    'test-images': { type: 'string', default: '500' },
    resolution: { type: 'string', default: '64' },
    specs: { type: 'string' },
    out: { type: 'string', default: 'results/benchmarks/accuracy-validation.json' },
  },
});

/** nine canonical models (published top-1) and five variants: every family, every attention kind, Config-B */
const SPECS = a.specs?.split(',') ?? [
  'mobilevit_xxs', 'mobilevit_xs', 'mobilevitv2_050', 'mobilevitv2_075', 'mobilevitv2_100', 'swiftformer_xs', 'swiftformer_s',
  'mobilenetv2_050', 'mobilenetv2_100', 'mobilevitv2_050:attention=additive', 'mobilevitv2_050:attention=mhsa',
  'swiftformer_xs:attention=separable', 'mobilevit_xxs:attention=none', 'mobilevit_xxs:patch=B',
];
const PROXIES = ['synflow', 'grad_norm', 'snip', 'naswot'] as const;
const settings = { epochs: num(a, 'epochs'), trainImages: num(a, 'train-images'), testImages: num(a, 'test-images'), resolution: num(a, 'resolution'), data: 'synthetic', seed: 0 };

interface Entry {
  spec: string;
  published: number | null;
  proxyTop1: number;
  chance: number;
  trainSeconds: number;
  scores: Record<string, number | null>;
}

const out = path.resolve(root, a.out);
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
const entries: Entry[] = previous && JSON.stringify(previous.settings) === JSON.stringify(settings) ? previous.entries : [];
const cli = (args: string[]) =>
  JSON.parse(execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'apps/sweep/src/main.ts'), ...args, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }));

const save = (extra: object = {}) => {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ settings, environment: environmentFingerprint(root), entries, ...extra }, null, 1) + '\n');
};

for (const spec of SPECS) {
  if (entries.some((e) => e.spec === spec)) continue;
  const s = parseSpec(spec);
  const t = cli(['train', spec, '--data', 'synthetic', '--resolution', a.resolution!, '--epochs', a.epochs!, '--train-images', a['train-images']!, '--test-images', a['test-images']!]);
  const scores = cli(['score', spec, '--resolution', a.resolution!, '--proxy', 'all']) as { proxy: string; score: number | null }[];
  entries.push({
    spec, published: s.canonical ? s.family.published[s.id]?.top1 ?? null : null, proxyTop1: t.top1, chance: t.chance, trainSeconds: t.seconds,
    scores: Object.fromEntries(scores.map((x) => [x.proxy, x.score])),
  });
  console.error(`${spec}: proxy top-1 ${t.top1.toFixed(1)} % in ${t.seconds.toFixed(0)} s; ${scores.map((x) => `${x.proxy} ${x.score?.toPrecision(4) ?? '-'}`).join(', ')}`);
  save();
}

/** tau over the entries where both values are finite */
function tau(x: (e: Entry) => number | null, y: (e: Entry) => number | null) {
  const pairs = entries.map((e) => [x(e), y(e)] as const).filter((p): p is readonly [number, number] => p.every((v) => v !== null && Number.isFinite(v)));
  return { tau: pairs.length >= 3 ? kendallTau(pairs.map((p) => p[0]), pairs.map((p) => p[1])) : null, n: pairs.length };
}
const rows = [
  ...PROXIES.map((p) => ({ pair: `${p} vs proxy top-1`, ...tau((e) => e.scores[p], (e) => e.proxyTop1) })),
  { pair: 'proxy top-1 vs published top-1 (canonical)', ...tau((e) => e.proxyTop1, (e) => e.published) },
  ...PROXIES.map((p) => ({ pair: `${p} vs published top-1 (canonical)`, ...tau((e) => e.scores[p], (e) => e.published) })),
];
save({ kendall: rows });
const f = (v: number | null, d = 1) => (v === null ? '-' : v.toFixed(d));
console.log(`| spec | published top-1 | proxy top-1 | ${PROXIES.join(' | ')} |\n|---|---:|---:|${PROXIES.map(() => '---:').join('|')}|`);
for (const e of entries) console.log(`| ${e.spec} | ${f(e.published)} | ${f(e.proxyTop1)} | ${PROXIES.map((p) => (e.scores[p] === null ? '-' : e.scores[p]!.toPrecision(4))).join(' | ')} |`);
console.log(`\n| pair | Kendall tau-b | models |\n|---|---:|---:|`);
for (const r of rows) console.log(`| ${r.pair} | ${f(r.tau, 2)} | ${r.n} |`);
console.log(`\nproxy task: synthetic shapes, ${settings.trainImages} training / ${settings.testImages} held-out images at ${settings.resolution} px, ${settings.epochs} epochs, seed 0 (chance ${f(entries[0]?.chance ?? null)} %)`);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
