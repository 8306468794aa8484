import { readFileSync } from 'node:fs';
import { environmentFingerprint } from '@mvbench/runner-core';
import { runtimeVersions } from '@mvbench/cell';
import { printJson } from './output.ts';

const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** `mvbench --version [--json]`: mvbench's version and commit, Node's, and every runtime's package versions */
export async function printVersion(json: boolean): Promise<void> {
  const { commit, dirty, node } = environmentFingerprint();
  const versions = { mvbench: own.version, commit: `${commit}${dirty ? ' (with uncommitted changes)' : ''}`, node, ...(await runtimeVersions()) };
  if (json) return printJson(versions);
  for (const [name, version] of Object.entries(versions)) console.log(`${name} ${version}`);
}
