/** runs the real CLI in a child process, as `pnpm mvbench` does */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const main = `${root}apps/sweep/src/main.ts`;

/** the command line that runs the CLI (for tests that spawn it themselves) */
export const cliCommand = { bin: tsx, args: [main] };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number; main?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(tsx, [opts.main ?? main, ...args], { cwd: opts.cwd ?? root, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
