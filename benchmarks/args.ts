/** Numbers from a benchmark's command line, through the project's one checked parser: `--rounds abc` stops the
 *  script with a message naming the flag instead of running zero rounds. */
import { existsSync, readFileSync } from 'node:fs';
import { parseNumber, type NumberRule } from '@mvbench/core';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** ends the script with the message and exit code 2, like the CLI's user errors */
export function usageError(message: string): never {
  console.error(`benchmark: ${message}`);
  process.exit(2);
}

/** a string option of parseArgs with its default */
export const str = (fallback?: string) => ({ type: 'string' as const, default: fallback });

/** a bad number ends the script with its message and exit code 2 */
function checked(text: string, flag: string, rule: NumberRule): number {
  try {
    return parseNumber(text, flag, rule);
  } catch (e) {
    usageError((e as Error).message);
  }
}

/** the value of `--name` as a number (an integer >= 0 unless `rule` says otherwise) */
export const num = (values: Values, name: string, rule: NumberRule = { integer: true, min: 0 }): number =>
  checked(String(values[name]), `--${name}`, rule);

/** `--name <value>` read from process.argv by hand (scripts without parseArgs), or the default */
export function argNum(name: string, fallback: number, rule: NumberRule = { integer: true, min: 0 }): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : checked(process.argv[i + 1] ?? '', name, rule);
}

/**
 * A benchmark's resumable JSONL log: its rows, none when the file is missing. A last line cut by a kill is left out
 * (the run trains it again); any other line that is not JSON ends the script naming the file and line.
 */
export function readLog<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      if (lines.slice(i + 1).some((l) => l.trim())) usageError(`${file}, line ${i + 1}: not JSON (${line.slice(0, 60)}); fix or delete that line, then run again`);
      console.error(`benchmark: ${file}: the last line was cut off (a killed run?); it is run again`);
    }
  });
  return rows;
}

/** median (the lower middle value), min and max of a benchmark's repeats */
export function spread(xs: number[]): { median: number; min: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: sorted[Math.floor((sorted.length - 1) / 2)], min: sorted[0], max: sorted.at(-1)! };
}
