#!/usr/bin/env node
/**
 * mvbench command line. Data flow: plan -> build (dsl) -> emit (onnx) -> run (runners, isolated) -> results
 * -> report. Errors are caught once here: user errors print their message and exit 2, anything else exit 1.
 */
import { Command, CommanderError } from 'commander';
import { isUserError, MvbenchError } from '@mvbench/core';
import { registerEmit } from './cli/emit.ts';
import { registerInfo } from './cli/info.ts';
import { registerModels } from './cli/models.ts';
import { registerParity } from './cli/parity.ts';
import { registerRun } from './cli/run.ts';
import { registerEval } from './cli/eval.ts';
import { registerTrain } from './cli/train.ts';
import { registerScore } from './cli/score.ts';
import { registerReport } from './cli/report.ts';
import { registerSweep } from './cli/sweep.ts';
import { registerRegress } from './cli/regress.ts';
import { registerSearch } from './cli/search.ts';
import { registerPredict } from './cli/predict.ts';
import { printVersion } from './cli/version.ts';
import { registerCompare } from './cli/compare.ts';
import { registerClaims } from './cli/claims.ts';
import { registerPlans } from './cli/plans.ts';
import { registerSchema } from './cli/schema.ts';
import { registerWorker } from './cli/worker.ts';

export function createProgram(): Command {
  const program = new Command('mvbench')
    .description('architecture search and benchmarking for mobile vision transformers')
    .option('-V, --version', "mvbench's version and commit, Node's and the runtimes' versions (with --json: as JSON)")
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [registerModels, registerInfo, registerEmit, registerParity, registerRun, registerEval, registerTrain, registerScore, registerPlans, registerSweep, registerReport, registerCompare, registerClaims, registerRegress, registerSchema, registerPredict, registerSearch, registerWorker]) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  // the command list: one line per command, however narrow the terminal (subcommands' help still wraps)
  program.configureHelp({ helpWidth: 1000 });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === '--version' || argv[0] === '-V') {
      await printVersion(argv.includes('--json'));
      return 0;
    }
    await createProgram().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isUserError(e)) {
      console.error(`mvbench: ${e.message}`);
      return 2;
    }
    const message = e instanceof MvbenchError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    console.error(`mvbench: internal error: ${message}`);
    if (process.env.MVBENCH_DEBUG) console.error(e);
    else console.error('(set MVBENCH_DEBUG=1 for the stack trace; please report this as a bug)');
    return 1;
  }
}

const OWN_SCRIPTS = new Set(['mvbench', 'bench:sweep', 'bench:regress']);
const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  // `pnpm mvbench` runs in the repository root; relative paths the user typed are relative to where they typed them.
  // Only for our own scripts: a CLI started by a test under `pnpm test` inherits INIT_CWD but has a cwd of its own
  if (process.env.INIT_CWD && OWN_SCRIPTS.has(process.env.npm_lifecycle_event ?? '')) process.chdir(process.env.INIT_CWD);
  process.exitCode = await main(process.argv.slice(2));
}
