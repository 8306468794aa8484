/**
 * Where @tensorflow/tfjs-node is installed and whether its native addon is built. Reads files only (no tfjs, no
 * TensorFlow loads): the runner's probe and `pnpm setup:tfjs-node` (setup-node.ts) share it.
 *
 * tfjs-node is an optional dependency of this package whose install script pnpm does not run (allowBuilds): the
 * package's JavaScript is always there after `pnpm install`, its addon (`lib/napi-v<n>/tfjs_binding.node`) and
 * TensorFlow's C library (`deps/lib`) only after the setup command linked them in from its cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const TFJS_NODE = '@tensorflow/tfjs-node';
/** written by the setup command beside the C library: where it came from */
export const BUILD_INFO = 'mvbench-build.json';
const SETUP_COMMAND = 'pnpm setup:tfjs-node';

export interface BuildInfo {
  /** the TensorFlow C library's version */
  tensorflow: string;
  /** 'libtensorflow download' (tfjs-node's own install) or 'tensorflow-cpu wheel' (built here against its C library) */
  source: string;
  builtAt: string;
}

export interface TfjsNodeInstall {
  dir: string;
  version: string;
  /** the N-API version the addon is built for and the path tfjs-node loads it from */
  napi: number;
  binding: string;
  built: boolean;
  build?: BuildInfo;
}

const require = createRequire(import.meta.url);

export function tfjsNodeInstall(): TfjsNodeInstall | undefined {
  let manifest: string;
  try {
    manifest = require.resolve(`${TFJS_NODE}/package.json`);
  } catch {
    return undefined;
  }
  const dir = path.dirname(manifest);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    version: string;
    binary: { module_name: string; module_path: string; napi_versions: number[] };
  };
  // node-pre-gyp builds for the highest N-API version the package lists that this Node supports
  const napi = Math.max(...pkg.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
  const binding = path.join(dir, pkg.binary.module_path.replace('{napi_build_version}', String(napi)), `${pkg.binary.module_name}.node`);
  const info = path.join(dir, 'deps', BUILD_INFO);
  const build = existsSync(info) ? (JSON.parse(readFileSync(info, 'utf8')) as BuildInfo) : undefined;
  return { dir, version: pkg.version, napi, binding, built: existsSync(binding), ...(build ? { build } : {}) };
}

/** why tfjs:node cannot run here, or undefined when it can */
export function tfjsNodeMissing(install = tfjsNodeInstall()): string | undefined {
  if (!install) return `${TFJS_NODE} is not installed (an optional dependency of @mvbench/runner-tfjs): run pnpm install, then ${SETUP_COMMAND}`;
  if (!install.built) return `${TFJS_NODE} ${install.version} is installed but its native addon is not built: run ${SETUP_COMMAND}`;
  return undefined;
}
