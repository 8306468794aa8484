import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeFileName, writeFileAtomic } from './fs-atomic.ts';

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('file names from data', () => {
  it('never leave the folder they are joined to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvb-fs-'));
    for (const hostile of ['../../../../x/y', '..', '.', '/etc/passwd', 'a\\..\\..\\b', '.hidden', 'nul\0byte', '', '-'.repeat(300)]) {
      const name = safeFileName(hostile);
      expect(resolve(dir, name).startsWith(`${dir}/`), `${JSON.stringify(hostile)} -> ${name}`).toBe(true);
      expect(name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/);
    }
    expect(safeFileName('../../../../x/y')).toBe('x-y');
    expect(safeFileName('default-shard1of2')).toBe('default-shard1of2');
  });
});

describe('atomic writes', () => {
  it('replace the file, leave no temporary file, and remove one left by a killed process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvb-fs-'));
    const file = join(dir, 'r.html');
    writeFileSync(`${file}.${deadPid()}.tmp`, 'half a report');
    writeFileSync(`${file}.${process.ppid}.tmp`, 'a live writer'); // a process that is alive: not ours to remove
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir).sort()).toEqual(['r.html', `r.html.${process.ppid}.tmp`]);
  });

  it('a failed write is a user error naming the file, and removes its temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvb-fs-'));
    const target = join(dir, 'a-folder');
    writeFileAtomic(join(target, 'x'), 'x'); // creates the folder: writing the folder itself must fail at the rename
    expect(() => writeFileAtomic(target, 'y')).toThrow(expect.objectContaining({ user: true, message: expect.stringContaining(`cannot write ${target}`) }));
    expect(readdirSync(dir)).toEqual(['a-folder']);
  });
});
