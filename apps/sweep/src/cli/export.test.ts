/** export --json: the rows themselves on stdout (hyperfine's --export-json), the latest row per cell of the last sweep. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestPerCell, readRows } from '@mvbench/results';
import { runCli } from './run-cli.ts';

const file = fileURLToPath(new URL('../../../../results/web.jsonl', import.meta.url));

describe('mvbench export --json', () => {
  it('prints the last sweep of the file as rows', async () => {
    const r = await runCli(['export', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const rows = readRows(file).rows;
    const last = latestPerCell(rows.filter((x) => x.sweep === rows.at(-1)!.sweep));
    expect(out).toMatchObject({ plan: 'web', sweep: rows.at(-1)!.sweep });
    expect(out.rows.map((x: { cell: string }) => x.cell)).toEqual(last.map((x) => x.cell));
  });
});
