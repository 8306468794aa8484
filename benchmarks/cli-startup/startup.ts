/**
 * Start-up cost of the installed `mvbench` command, the choice behind apps/sweep/bin/mvbench.js: TypeScript run
 * through tsx at run time (what ships) vs a build step, approximated by an esbuild bundle of the same CLI (workspace
 * packages inlined, third-party packages resolved from the store as an install would). Both run the same commands,
 * interleaved round by round; medians and p10-p90 of the wall time per process (process start included).
 *   pnpm tsx benchmarks/cli-startup/startup.ts [--rounds 10]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { argNum } from '../args.ts';

const rounds = argNum('--rounds', 10, { integer: true, min: 1 });
const root = fileURLToPath(new URL('../../', import.meta.url));
// packages with native code or wasm files beside them stay outside the bundle, as a build step would keep them
const EXTERNAL = /^(onnxruntime-node|onnxruntime-web|sharp|@resvg\/resvg-js|puppeteer-core|@tensorflow\/.*|vega.*|tsx(\/.*)?)$/;

const dir = mkdtempSync(join(tmpdir(), 'mvbench-startup-'));
try {
  const bundle = join(dir, 'src', 'cli', 'main.mjs'); // '../../package.json' from here is the copied package.json
  copyFileSync(join(root, 'apps/sweep/package.json'), join(dir, 'package.json'));
  await build({
    entryPoints: [join(root, 'apps/sweep/src/main.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error',
    plugins: [{ name: 'external', setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (EXTERNAL.test(a.path) ? { external: true } : undefined)) }],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  mkdirSync(join(dir, 'node_modules'));
  const store = join(root, 'node_modules/.pnpm/node_modules');
  for (const name of readdirSync(store)) symlinkSync(join(store, name), join(dir, 'node_modules', name));
  symlinkSync(join(root, 'node_modules/tsx'), join(dir, 'node_modules/tsx'));

  const variants = { 'tsx at run time (bin/mvbench.js)': [join(root, 'apps/sweep/bin/mvbench.js')], 'bundled build (esbuild)': [bundle] };
  const commands = [['--help'], ['models', '--json'], ['info', 'mobilevit_xxs', '--json']];
  const times = new Map<string, number[]>();
  const load = [loadavg()[0]];
  for (let r = 0; r < rounds; r++)
    for (const args of commands)
      for (const [name, entry] of Object.entries(variants)) {
        const t = performance.now();
        execFileSync(process.execPath, [...entry, ...args], { cwd: dir, stdio: 'ignore' });
        const key = `${args.join(' ')}|${name}`;
        times.set(key, [...(times.get(key) ?? []), performance.now() - t]);
      }
  load.push(loadavg()[0]);
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  console.log(`wall time per process, ms: median [p10, p90] of ${rounds} interleaved rounds; 1-min load average ${load.map((l) => l.toFixed(2)).join(' -> ')}`);
  for (const [key, xs] of times) {
    const [args, name] = key.split('|');
    console.log(`${args.padEnd(26)} ${name.padEnd(34)} ${q(xs, 0.5).toFixed(0).padStart(5)} [${q(xs, 0.1).toFixed(0)}, ${q(xs, 0.9).toFixed(0)}]`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
