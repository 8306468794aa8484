import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownTable, sweepMarkdown } from './markdown.ts';
import type { ResultRow } from './schema.ts';

const rows = readFileSync(new URL('../../../results/default.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResultRow);

describe('markdown', () => {
  it('a pipe table: numbers align right, a | in a cell is escaped, a line break flattened', () => {
    expect(markdownTable(['name', 'ms'], [['a|b', 1.5], ['c\nd', 12]])).toBe('| name | ms |\n|---|---:|\n| a\\|b | 1.5 |\n| c d | 12 |');
  });

  it("a sweep's rows: one table line per row, failures and contended cells named", () => {
    const failed = { ...rows[0], latency: null, error: { code: 'TIMEOUT', message: 'cell did not finish | killed' } };
    const contended = { ...rows[1], load: { otherCores: 1.2, otherCpuShare: 0.6, loadavgBefore: 2, loadavgAfter: 2, drift: null, contended: true } };
    const md = sweepMarkdown([failed, contended, ...rows.slice(2, 10)], "mvbench sweep 'default'");
    const lines = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/\| TIMEOUT \|$/);
    expect(lines[1]).toMatch(/contended \(1.2 cores busy elsewhere\) \|$/);
    expect(lines[2]).toContain(`| ${rows[2].latency!.median.toFixed(3)} |`);
    expect(md).toMatch(/^## mvbench sweep 'default'\n\n10 cells .*; 1 failed; 1 measured while other processes competed/);
  });
});
