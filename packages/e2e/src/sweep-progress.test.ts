/**
 * A sweep with proxy accuracy trains each spec in a child process for minutes: the child's progress reaches the
 * sweep's output (here a log, not a terminal: lines on stderr) instead of a silent wait.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli.ts';

describe('sweep progress', () => {
  it("shows the proxy training's progress of a cell", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mvbench-progress-')), 'r.jsonl');
    const accuracy = { kind: 'proxy', epochs: 1, trainImages: 64, testImages: 32, resolution: 32, batch: 16, classes: 2 };
    const r = await cli(['sweep', '--models', 'mobilenetv2_050', '--runner', 'null', '--min-runs', '6', '--max-runs', '6', '--max-minutes', 'none', '--accuracy', JSON.stringify(accuracy), '--out', out, '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ {2}mobilenetv2_050: proxy training: (loading images \d+\/96|step \d+\/4 \(\d+%\), loss [\d.]+)$/m);
    const row = JSON.parse(readFileSync(out, 'utf8').trim()) as { accuracy: { kind: string; value: number | null } };
    expect(row.accuracy.kind).toBe('proxy');
    expect(row.accuracy.value).not.toBeNull();
  });
});
