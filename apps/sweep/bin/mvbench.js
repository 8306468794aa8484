#!/usr/bin/env node
// The installed `mvbench` command: TypeScript sources run through tsx, a runtime dependency (README, Install;
// benchmarks/cli-startup measures what this costs against a bundled build).
import { register } from 'tsx/esm/api';

register();
// `mvbench ... | head` closes the pipe early: stop quietly, as other command-line tools do
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
