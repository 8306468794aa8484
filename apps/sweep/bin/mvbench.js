#!/usr/bin/env node
// The installed `mvbench` command: TypeScript sources run through tsx, a runtime dependency (README, Install;
// benchmarks/cli-startup measures what this costs against a bundled build).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
