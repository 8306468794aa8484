/**
 * `pnpm setup:tfjs-node`: makes the tfjs:node runner available.
 *
 *   ready?  the addon loads and computes             -> done (seconds)
 *   cache?  a build for this tfjs-node/N-API/platform -> link it in, check
 *   else    (free disk checked first) in a temporary folder of the cache:
 *           1. tfjs-node's own install (downloads libtensorflow 2.9.1 and a prebuilt addon)
 *           2. when that download fails: the tensorflow-cpu wheel from pip, whose libtensorflow_cc.so.2 exports the C
 *              API tfjs-node calls; its C library and headers become deps/, and node-gyp builds the addon from source
 *           then the result is renamed into the cache (never half there) and linked into the installed package.
 *
 * The cache (MVBENCH_CACHE, else ~/.cache/mvbench) keeps the wheel and the build (~1.1 GB) outside the repository.
 * --rebuild ignores a cached build; --from-wheel skips the ordinary install.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BUILD_INFO, tfjsNodeInstall, type BuildInfo, type TfjsNodeInstall } from './node-install.ts';

const WHEEL = { name: 'tensorflow-cpu', version: '2.21.0', file: 'tensorflow_cpu-2.21.0-' };
// wheel members the build needs: the C library and the headers tensorflow/c/c_api.h includes
const WHEEL_MEMBERS = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2', 'tensorflow/include/tensorflow/c/',
  'tensorflow/include/tensorflow/core/platform/', 'tensorflow/include/tsl/', 'tensorflow/include/xla/tsl/'];
const NEEDED_GB = { build: 1.0, wheel: 0.3 };
const STALE_MS = 2 * 3600_000;

class SetupFailed extends Error {}
const args = process.argv.slice(2);
for (const a of args)
  if (a !== '--rebuild' && a !== '--from-wheel') {
    console.error(`setup:tfjs-node: unknown option '${a}'; options: --rebuild (ignore the cached build), --from-wheel (skip tfjs-node's own download)`);
    process.exit(2);
  }

const cacheRoot = path.resolve(process.env.MVBENCH_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'mvbench'));
let stepNo = 0;
async function step<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  console.log(`[${++stepNo}] ${what} ...`);
  const r = await fn();
  console.log(`    done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}
const fail = (msg: string): never => {
  throw new SetupFailed(msg);
};
function run(cmd: string, argv: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { ok: !r.error && r.status === 0, stdout: String(r.stdout ?? ''), out: `${r.stdout ?? ''}${r.stderr ?? ''}`, missing: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
}
const tail = (s: string, n = 25) => s.trim().split('\n').slice(-n).map((l) => `    | ${l}`).join('\n');

/** loads the installed tfjs-node in a fresh process and computes 2 x [1.5, 2.5] on the tensorflow backend */
function check(install: TfjsNodeInstall) {
  const probe = `const tf = require(${JSON.stringify(install.dir)}); const v = tf.tensor([1.5, 2.5]).mul(2).dataSync();
    if (v[0] !== 3 || v[1] !== 5 || tf.getBackend() !== 'tensorflow') throw new Error('wrong result ' + v + ' on ' + tf.getBackend());
    console.log('TensorFlow ' + tf.backend().binding.TF_Version);`;
  const r = run(process.execPath, ['-e', probe], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeout: 120_000 });
  return { ok: r.ok, out: (r.ok ? r.stdout : r.out).trim() };
}

function freeGB(dir: string): number {
  const s = statfsSync(dir);
  return (s.bavail * s.bsize) / 2 ** 30;
}

/** pnpm keeps tfjs-node's dependencies beside it (…/node_modules/@tensorflow/tfjs-node -> …/node_modules) */
const dependencyRoot = (install: TfjsNodeInstall) => path.resolve(install.dir, '..', '..');

/** tfjs-node's own install script in a copy of the package: `deps/` must exist for it to skip the download */
function installScript(install: TfjsNodeInstall, pkg: string, log: string) {
  const req = createRequire(path.join(install.dir, 'package.json'));
  const preGyp = path.join(path.dirname(req.resolve('@mapbox/node-pre-gyp/package.json')), 'bin', 'node-pre-gyp');
  const bin = path.join(pkg, '..', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'node-pre-gyp'), `#!/bin/sh\nexec "${process.execPath}" "${preGyp}" "$@"\n`, { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: dependencyRoot(install), PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  // node-gyp finds Node's headers beside the executable (Debian's nodejs: /usr/include/node) instead of downloading them
  const prefix = path.dirname(path.dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  const r = run(process.execPath, ['scripts/install.js'], { cwd: pkg, env, timeout: 15 * 60_000 });
  writeFileSync(log, r.out);
  return r;
}

function pythonWithPip(): string {
  for (const py of ['python3', 'python'])
    if (run(py, ['-m', 'pip', '--version']).ok) return py;
  return fail('pip is not available (python3 -m pip): install Python 3 with pip (Debian: apt-get install -y python3-pip), or make tfjs-node\'s own download reachable');
}

function checkCompiler() {
  const missing = [['c++', 'a C++ compiler'], ['make', 'make']].filter(([cmd]) => run(cmd, ['--version']).missing).map(([, what]) => what);
  if (missing.length) fail(`no ${missing.join(' and no ')} to build tfjs-node's addon: install them (Debian: apt-get install -y g++ make)`);
}

async function wheelFile(py: string): Promise<string> {
  const downloads = path.join(cacheRoot, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const have = readdirSync(downloads).find((f) => f.startsWith(WHEEL.file) && f.endsWith('.whl'));
  if (have) {
    console.log(`    cached: ${path.join(downloads, have)}`);
    return path.join(downloads, have);
  }
  const tmp = mkdtempSync(path.join(downloads, '.pip-'));
  try {
    const r = spawnSync(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', tmp, `${WHEEL.name}==${WHEEL.version}`], { stdio: 'inherit' });
    const got = readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (r.status !== 0 || !got) fail(`pip could not download ${WHEEL.name}==${WHEEL.version} (see pip's message above): check pip's index (pip config list)`);
    renameSync(path.join(tmp, got!), path.join(downloads, got!));
    return path.join(downloads, got!);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** the wheel's C library and headers laid out as tfjs-node's deps/ (libtensorflow.so.2.9.1 is the name its install looks for) */
function stageDeps(py: string, wheel: string, pkg: string) {
  const unpacked = path.join(pkg, '..', 'wheel');
  const extract = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
    'for m in z.namelist():\n  if m.startswith(tuple(sys.argv[3:])): z.extract(m, sys.argv[2])';
  const r = run(py, ['-c', extract, wheel, unpacked, ...WHEEL_MEMBERS]);
  if (!r.ok) fail(`could not unpack ${wheel}:\n${tail(r.out)}`);
  const lib = path.join(pkg, 'deps', 'lib');
  mkdirSync(lib, { recursive: true });
  renameSync(path.join(unpacked, 'tensorflow', 'include'), path.join(pkg, 'deps', 'include'));
  for (const so of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) renameSync(path.join(unpacked, 'tensorflow', so), path.join(lib, so));
  for (const [link, target] of [['libtensorflow.so.2.9.1', 'libtensorflow_cc.so.2'], ['libtensorflow.so', 'libtensorflow_cc.so.2'], ['libtensorflow_framework.so', 'libtensorflow_framework.so.2']])
    symlinkSync(target, path.join(lib, link));
  rmSync(unpacked, { recursive: true, force: true });
  // a custom tf-lib makes tfjs-node's install build the addon from source instead of fetching a prebuilt one
  writeFileSync(path.join(pkg, 'scripts', 'custom-binary.json'), JSON.stringify({ 'tf-lib': `file://${wheel}` }));
}

/** replaces `name` inside the installed package by a symlink to the cached build's folder, atomically */
function linkInto(install: TfjsNodeInstall, build: string) {
  for (const name of ['deps', 'lib']) {
    const at = path.join(install.dir, name);
    const tmp = `${at}.mvbench-${process.pid}`;
    symlinkSync(path.join(build, name), tmp);
    if (lstatSync(at, { throwIfNoEntry: false })?.isDirectory()) rmSync(at, { recursive: true, force: true });
    renameSync(tmp, at);
  }
}

async function main() {
  const install = await step('locating @tensorflow/tfjs-node', () => {
    const i = tfjsNodeInstall();
    if (!i) fail('@tensorflow/tfjs-node is not installed: run pnpm install (it is an optional dependency of @mvbench/runner-tfjs)');
    console.log(`    ${i!.version} at ${i!.dir}`);
    return i!;
  });
  const key = `tfjs-node-${install.version}-napi${install.napi}-${process.platform}-${process.arch}`;
  const store = path.join(cacheRoot, 'tfjs-node');
  const cached = path.join(store, key);
  if (install.built && !args.includes('--rebuild')) {
    const c = await step('checking the installed addon', () => check(install));
    if (c.ok) return console.log(`tfjs:node is ready (${c.out}, ${install.build?.source ?? 'tfjs-node\'s own install'})`);
    console.log(`    it does not load (a removed cache?), setting it up again:\n${tail(c.out, 5)}`);
  }
  if (existsSync(path.join(cached, 'deps', BUILD_INFO)) && !args.includes('--rebuild')) {
    await step(`linking the cached build (${cached})`, () => linkInto(install, cached));
    const c = await step('checking the addon', () => check(install));
    if (c.ok) return console.log(`tfjs:node is ready (${c.out})`);
    console.log(`    the cached build does not load; building again:\n${tail(c.out, 5)}`);
  }

  mkdirSync(store, { recursive: true });
  for (const f of readdirSync(store)) // builds of killed runs
    if (f.startsWith('.build-') && Date.now() - statSync(path.join(store, f)).mtimeMs > STALE_MS) rmSync(path.join(store, f), { recursive: true, force: true });
  await step(`checking free disk space in ${cacheRoot}`, () => {
    const need = NEEDED_GB.build + NEEDED_GB.wheel;
    const free = freeGB(cacheRoot);
    console.log(`    ${free.toFixed(1)} GB free, the build needs ~${need} GB`);
    if (free < need) fail(`not enough disk space in ${cacheRoot}: ${free.toFixed(2)} GB free, ~${need} GB needed (set MVBENCH_CACHE to a folder on a larger disk)`);
  });

  const work = mkdtempSync(path.join(store, '.build-'));
  const pkg = path.join(work, 'package');
  const log = path.join(store, 'last-install.log');
  let info: BuildInfo;
  try {
    const copy = () => cpSync(install.dir, pkg, { recursive: true, dereference: true, filter: (f) => !['deps', 'lib'].includes(path.relative(install.dir, f)) });
    copy();
    const ordinary = args.includes('--from-wheel') ? undefined :
      await step('tfjs-node\'s own install (downloads libtensorflow 2.9.1 and a prebuilt addon)', () => installScript(install, pkg, log));
    if (ordinary?.ok && existsSync(path.join(pkg, path.relative(install.dir, install.binding)))) {
      info = { tensorflow: '2.9.1', source: 'libtensorflow download', builtAt: new Date().toISOString() };
    } else {
      const why = ordinary?.out.split('\n').find((l) => /Error|ENOTFOUND|EAI_AGAIN|ECONN/.test(l)) ?? ordinary?.out.trim().split('\n').at(-1);
      if (ordinary) console.log(`    its download failed (${why?.trim()}); building against TensorFlow's C library from the ${WHEEL.name} wheel instead`);
      rmSync(pkg, { recursive: true, force: true });
      copy();
      const py = await step('checking pip and a C++ compiler', () => {
        const py = pythonWithPip();
        checkCompiler();
        return py;
      });
      const wheel = await step(`downloading ${WHEEL.name} ${WHEEL.version} with pip (274 MB, cached)`, () => wheelFile(py));
      await step('unpacking its C library and headers', () => stageDeps(py, wheel, pkg));
      const built = await step('building the addon (node-gyp, ~1 min)', () => installScript(install, pkg, log));
      if (!built.ok || !existsSync(path.join(pkg, path.relative(install.dir, install.binding))))
        fail(`the addon did not build (full log: ${log}):\n${tail(built.out)}`);
      info = { tensorflow: WHEEL.version, source: `${WHEEL.name} wheel`, builtAt: new Date().toISOString() };
    }
    await step(`moving the build into ${cached}`, () => {
      writeFileSync(path.join(pkg, 'deps', BUILD_INFO), JSON.stringify(info, null, 2) + '\n');
      const result = path.join(work, 'result');
      mkdirSync(result);
      for (const name of ['deps', 'lib']) renameSync(path.join(pkg, name), path.join(result, name));
      rmSync(cached, { recursive: true, force: true });
      renameSync(result, cached);
      linkInto(install, cached);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const c = await step('checking the addon', () => check(install));
  if (!c.ok) {
    rmSync(cached, { recursive: true, force: true });
    for (const name of ['deps', 'lib']) rmSync(path.join(install.dir, name), { force: true });
    fail(`the built addon does not load; removed it again:\n${tail(c.out)}`);
  }
  console.log(`tfjs:node is ready (${c.out}, from the ${info.source}); cache: ${cached}`);
}

main().catch((e: unknown) => {
  console.error(`setup:tfjs-node failed: ${e instanceof Error ? e.message : String(e)}`);
  if (!(e instanceof SetupFailed)) console.error(e);
  process.exit(1);
});
