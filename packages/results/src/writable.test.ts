import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWritable, ensureWritableDir, makeDirs } from './writable.ts';

describe('checks made before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mvbench-writable-'));

  it('a writable file or folder passes and leaves nothing behind', () => {
    ensureWritable(join(dir, 'a', 'b', 'rows.jsonl'));
    expect(existsSync(join(dir, 'a', 'b', 'rows.jsonl'))).toBe(false);
    ensureWritableDir(join(dir, 'reports'), 'report directory');
    expect(readdirSync(join(dir, 'reports'))).toEqual([]);
    const kept = join(dir, 'kept.jsonl');
    writeFileSync(kept, '{"x":1}\n');
    ensureWritable(kept);
    expect(existsSync(kept)).toBe(true);
  });

  it('a folder where a file belongs, and the reverse, name the path and the role', () => {
    expect(() => ensureWritable(dir, 'CSV file (--csv)')).toThrow(/CSV file \(--csv\) .* is not writable: it is a directory/);
    const f = join(dir, 'f.txt');
    writeFileSync(f, '');
    expect(() => ensureWritableDir(f, 'report directory')).toThrow(/report directory .*f.txt is not writable: it is a file/);
  });

  it('paths under /proc fail at once (recursive mkdir would loop there forever)', () => {
    expect(() => ensureWritableDir('/proc/mvbench-reports', 'report directory')).toThrow(/is not writable/);
    expect(() => ensureWritable('/proc/mvbench/x.jsonl')).toThrow(/results file \/proc\/mvbench\/x.jsonl is not writable/);
    expect(() => makeDirs('/proc/mvbench/a/b')).toThrow(/ENOENT/);
  });
});
