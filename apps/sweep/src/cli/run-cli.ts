/** For tests: runs the CLI's own entry (`main`) in this process and captures what it prints. */
import { vi } from 'vitest';
import { main } from '../main.ts';

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = process.exitCode;
  process.exitCode = undefined;
  const out = { stdout: '', stderr: '' };
  const capture = (k: 'stdout' | 'stderr') => (chunk: unknown) => ((out[k] += `${String(chunk)}\n`), true);
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout')),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr')),
    vi.spyOn(console, 'log').mockImplementation(capture('stdout')),
    vi.spyOn(console, 'error').mockImplementation(capture('stderr')),
  ];
  try {
    return { code: await main(args), ...out };
  } finally {
    for (const s of spies) s.mockRestore();
    process.exitCode = saved;
  }
}
