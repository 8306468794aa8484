import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRow, ensureWritable, paretoFront, readRows, repairJsonlTail, SCHEMA_VERSION, toCsv, type ResultRow } from './index.ts';

export function row(over: Partial<ResultRow> = {}): ResultRow {
  return {
    schema: SCHEMA_VERSION, sweep: 's1', plan: 'p', cell: 'm|r|t1|all', spec: 'm', id: 'm', family: 'f', canonical: true,
    knobs: { width: 1, patch: 'A', attention: 'mhsa', resolution: 256 }, params: 1, macs: 2,
    accuracy: { kind: 'published', value: 70, metric: 'top1', dataset: 'ImageNet-1k val', source: 'x', seed: null },
    runner: 'r', threads: 1, threadsUsed: 1, graphOptimization: 'all',
    latency: { n: 20, median: 10, p10: 9, p90: 11, mean: 10, stdev: 1, min: 9, max: 12, ciLow: 9.9, ciHigh: 10.1, ciLevel: 0.95, relCiHalfWidth: 0.01 },
    samplesMs: [10], processes: 1, runnerSettings: {}, converged: true, warmupRuns: 5, sessionCreateMs: 1, firstRunMs: 2, peakRssMb: 3, profile: null, env: null,
    startedAt: '2026-01-01T00:00:00.000Z', durationS: 1, error: null, ...over,
  };
}

describe('results files', () => {
  it('append, read back, and skip a partial last line left by a kill', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-res-')), 'r.jsonl');
    appendRow(file, row());
    appendRow(file, row({ cell: 'b', spec: 'say "hi", ok' }));
    appendFileSync(file, '{"schema":"mvbench.res');
    const { rows, skipped } = readRows(file);
    expect(rows.map((r) => r.cell)).toEqual(['m|r|t1|all', 'b']);
    expect(skipped).toEqual([{ line: 3, reason: expect.stringMatching(/partial line/) }]);
    expect(toCsv(rows).split('\n')[2]).toContain('"say ""hi"", ok"');
  });

  it('rows carry the structure knobs; rows written before them (no depth/ffn/expand/dims) still read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-res-')), 'r.jsonl');
    appendRow(file, row({ cell: 'old' }));
    const knobs = { width: 1, patch: null, attention: 'none', resolution: 224, depth: '1x1x2x2x2x2x1', ffn: null, expand: 4, dims: null };
    appendRow(file, row({ cell: 'new', knobs }));
    const { rows, skipped } = readRows(file);
    expect([skipped, rows.map((r) => r.knobs)]).toEqual([[], [row().knobs, knobs]]);
    const [head, , line] = toCsv(rows).split('\n');
    const at = (name: string) => line.split(',')[head.split(',').indexOf(name)];
    expect([at('depth'), at('ffn'), at('expand'), at('dims')]).toEqual(['1x1x2x2x2x2x1', '', '4', '']);
  });

  it('appending after a partial last line cuts the partial line off instead of gluing the row onto it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-res-')), 'r.jsonl');
    appendRow(file, row({ cell: 'a' }));
    appendFileSync(file, JSON.stringify(row({ cell: 'b' })).slice(0, 150));
    appendRow(file, row({ cell: 'c' }));
    const { rows, skipped } = readRows(file);
    expect(rows.map((r) => r.cell)).toEqual(['a', 'c']);
    expect(skipped).toEqual([]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('a complete last row without its newline is kept; a file that is not JSONL is refused, not truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvb-res-'));
    const file = join(dir, 'r.jsonl');
    writeFileSync(file, JSON.stringify(row({ cell: 'a' })));
    repairJsonlTail(file);
    appendRow(file, row({ cell: 'b' }));
    expect(readRows(file).rows.map((r) => r.cell)).toEqual(['a', 'b']);
    const binary = join(dir, 'model.onnx');
    writeFileSync(binary, Buffer.from([0x08, 0x07, 0x12, 0x00, 0xff]));
    expect(() => appendRow(binary, row())).toThrow(/model\.onnx does not end with a complete line .* not a result row/);
    expect(readFileSync(binary)).toEqual(Buffer.from([0x08, 0x07, 0x12, 0x00, 0xff]));
  });

  it('a directory given as a results file is a user error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvb-res-'));
    mkdirSync(join(dir, 'results'));
    expect(() => readRows(join(dir, 'results'))).toThrow(expect.objectContaining({ user: true, message: expect.stringMatching(/results is a directory, not a results file/) }));
  });

  it('rejects rows that do not match the schema before writing anything', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-res-')), 'r.jsonl');
    expect(() => appendRow(file, { ...row(), threads: 'two' } as unknown as ResultRow)).toThrow();
    expect(() => readFileSync(file)).toThrow();
  });

  it('an unwritable results directory is an error up front', () => {
    // a path below a regular file cannot be created, even by root
    const file = join(mkdtempSync(join(tmpdir(), 'mvb-res-')), 'plain-file');
    appendFileSync(file, 'x');
    expect(() => ensureWritable(join(file, 'results', 'r.jsonl'))).toThrow(/results file .* is not writable/);
  });

  it('the Pareto front keeps only non-dominated points', () => {
    const pts = [row({ cell: 'a' }), row({ cell: 'b', latency: { ...row().latency!, median: 5 }, accuracy: { ...row().accuracy, value: 60 } }),
      row({ cell: 'c', latency: { ...row().latency!, median: 20 }, accuracy: { ...row().accuracy, value: 65 } }), row({ cell: 'd', error: { code: 'X', message: '' }, latency: null })];
    expect(paretoFront(pts).map((p) => p.row.cell)).toEqual(['b', 'a']);
  });
});
