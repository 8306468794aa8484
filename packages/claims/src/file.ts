/** The rows the claims are judged from: each file's last sweep (a retried cell's latest row), files combined. */
import { userError } from '@mvbench/core';
import { latestPerCell, readRows, type ResultRow } from '@mvbench/results';

export function claimRows(files: readonly string[]): ResultRow[] {
  return files.flatMap((file) => {
    const { rows } = readRows(file);
    if (!rows.length) throw userError('CORRUPT_FILE', `no valid result rows in ${file}: give a results file written by mvbench sweep`);
    const sweep = rows.at(-1)!.sweep;
    return latestPerCell(rows.filter((r) => r.sweep === sweep));
  });
}
