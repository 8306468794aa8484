/**
 * The architecture as a rule, not only prose: dependencies point one way, protobuf stays in packages/onnx,
 * nothing imports apps/, and every package stays within its line budget. benchmarks/ (one package of scripts, no src/)
 * is held to the same rules; every package reaches another by its name, never by a relative path into its files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dirs = ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p))).concat('benchmarks');
const pkgs = dirs.map((dir) => ({
  dir,
  name: dir.split('/').pop()!,
  src: dir === 'benchmarks' ? dir : join(dir, 'src'),
  json: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')),
}));
const internal = (p: (typeof pkgs)[number]) =>
  Object.keys({ ...p.json.dependencies }).filter((d) => d.startsWith('@mvbench/')).map((d) => d.slice('@mvbench/'.length));

/** which internal packages each package may depend on at run time (tests may use more, as devDependencies) */
const ALLOWED: Record<string, string[]> = {
  // error codes, the checked number parser, the seeded RNG: what every package needs and nothing else
  core: [],
  ir: ['core'],
  dsl: ['core', 'ir'],
  onnx: ['core', 'ir'],
  weights: ['core', 'ir'],
  fixtures: ['core'],
  'runner-core': ['core', 'ir'],
  'runner-ort-node': ['core', 'runner-core'],
  'runner-ort-web': ['core', 'runner-core', 'browser'],
  conformance: ['ir', 'dsl', 'onnx', 'pipeline', 'runner-core', 'runner-ort-node', 'runner-ort-web', 'runner-tfjs', 'train'],
  // the one tfjs engine (op table, compile loop): inference and training both build on it, neither on the other
  'tfjs-engine': ['core', 'ir'],
  'runner-tfjs': ['core', 'ir', 'onnx', 'runner-core', 'tfjs-engine'],
  optimize: ['ir'],
  data: ['core'],
  train: ['core', 'ir', 'tfjs-engine'],
  pipeline: ['core', 'ir', 'dsl', 'onnx', 'optimize', 'weights', 'runner-core'],
  // results, report, browser and data know nothing of the graph IR (nor do regress's decisions; its check runs cells)
  results: ['core'],
  regress: ['core', 'cell', 'instructions', 'pipeline', 'plan', 'results', 'runner-core'],
  // Valgrind instruction counts of a runtime's inference call (its own worker, outside the cell engine's processes)
  instructions: ['core', 'runner-core'],
  // two results files compared with regress's decision rule, nothing measured
  compare: ['core', 'regress', 'results'],
  // the papers' claims judged from result rows with regress's ratio statistics, nothing measured
  claims: ['core', 'regress', 'results'],
  // cross-package suites: what they use is a devDependency, nothing at run time
  e2e: [],
  // plans may name .onnx files: their inputs, ops and hash are read when the plan expands
  plan: ['core', 'dsl', 'onnx'],
  // the search space (knob options per family, sampling, coverage) and the latency predictors built on it
  space: ['core', 'dsl'],
  predict: ['core', 'dsl', 'ir', 'optimize', 'plan', 'results', 'runner-core', 'space', 'sweep-run'],
  browser: ['core'],
  report: ['core', 'claims', 'results'],
  // the one cell engine: the runner catalogue (every runner's descriptors), isolation, the cell steps, measureCell
  cell: ['core', 'dsl', 'onnx', 'pipeline', 'plan', 'results', 'runner-core', 'runner-ort-node', 'runner-ort-web', 'runner-tfjs'],
  accuracy: ['core', 'cell', 'data', 'dsl', 'pipeline', 'plan', 'results', 'runner-core', 'train', 'weights'],
  // the sweep loop: cells through the cell engine, rows, resume, the time budget; progress goes out through callbacks
  'sweep-run': ['core', 'accuracy', 'cell', 'dsl', 'instructions', 'pipeline', 'plan', 'results', 'runner-core'],
  // the multi-objective search: candidates from the space, latency through the cell engine, proxy accuracy, rows
  search: ['core', 'accuracy', 'cell', 'dsl', 'pipeline', 'plan', 'results', 'runner-core', 'space'],
  // sweeps across machines on BullMQ: the sweep's resume and rows, the cell engine on the workers
  queue: ['core', 'accuracy', 'cell', 'dsl', 'plan', 'results', 'runner-core', 'sweep-run'],
};
/** lines of TypeScript (tests and generated code excluded) a package may hold */
// report: one file per figure, and the issues keep adding figures (predicted vs measured, search, instructions, the claims)
// benchmarks is a folder of independent scripts (one per question), each short: its budget grows with their number
const BUDGET: Record<string, number> = { default: 1500, dsl: 1800, sweep: 3000, e2e: 2000, benchmarks: 2150, report: 1850 };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' || f === 'gen' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('internal dependencies point one way', () => {
    for (const p of pkgs) {
      const { name } = p;
      expect(internal(p), `${p.dir} may not depend on apps`).not.toContain('sweep');
      expect(internal(p), `${p.dir} may not depend on benchmarks`).not.toContain('benchmarks');
      if (ALLOWED[name]) for (const d of internal(p)) expect(ALLOWED[name], `${name} -> ${d}`).toContain(d);
    }
  });

  it('only packages/onnx imports protobuf; nothing imports apps/ or benchmarks/', () => {
    for (const p of pkgs)
      for (const file of sources(join(root, p.src))) {
        const text = readFileSync(file, 'utf8');
        if (!p.dir.endsWith('/onnx')) expect(text, file).not.toMatch(/from '@bufbuild\//);
        if (!p.dir.startsWith('apps/')) expect(text, file).not.toMatch(/from '(@mvbench\/sweep['/]|.*apps\/)/);
        expect(text, file).not.toMatch(/from '(@mvbench\/benchmarks|.*benchmarks\/)/);
      }
  });

  it("packages are imported by name: no relative import leaves its package, no '@mvbench/x/src/' path", () => {
    const outside: string[] = [];
    for (const p of pkgs)
      for (const file of sources(join(root, p.src)))
        // imports, and modules started as workers (`new URL('./worker.ts', import.meta.url)`)
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom |\bimport\(|new URL\()\s*'([^']+?\.ts|[^.'][^']*)'/g))
          if (/^@mvbench\/[^/]+\/src\//.test(spec) || (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(join(root, p.dir) + sep)))
            outside.push(`${relative(root, file)} imports '${spec}'`);
    expect(outside, 'import these packages by name').toEqual([]);
  });

  it('every package stays within its line budget', () => {
    for (const p of pkgs) {
      const { name } = p;
      const lines = sources(join(root, p.src))
        .filter((f) => !f.endsWith('.test.ts'))
        .reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
      expect(lines, `${p.dir}: ${lines} lines`).toBeLessThanOrEqual(BUDGET[name] ?? BUDGET.default);
    }
  });
});
