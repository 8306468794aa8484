import { FIGURES } from './figures/index.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFigureFiles } from './render.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { META, edit } from './test-util.ts';
import { msg } from './messages.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const tmp = mkdtempSync(join(tmpdir(), 'mvbench-figures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('renderFigureFiles', () => {
  it('writes a non-empty SVG and a valid PNG per figure', async () => {
    const out = await renderFigureFiles(syntheticRows(), META, join(tmp, 'all'));
    expect(out.skipped).toEqual([]);
    expect(out.files.map((f) => basename(f))).toContain('pareto.png');
    expect(out.files.length).toBe(2 * FIGURES.length); // an SVG and a PNG per figure
    for (const f of out.files) {
      const bytes = readFileSync(f);
      if (f.endsWith('.svg')) {
        expect(bytes.toString('utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(bytes.toString('utf8')).toContain('<path');
      } else {
        expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), f).toBe(true);
        expect(bytes.readUInt32BE(16), `${f} width`).toBeGreaterThan(400); // IHDR width
        expect(bytes.length).toBeGreaterThan(10_000);
      }
    }
  });

  it('writes only the formats asked for', async () => {
    const out = await renderFigureFiles(syntheticRows(), META, join(tmp, 'svg'), { formats: ['svg'] });
    expect(out.files.length).toBe(FIGURES.length);
    expect(out.files.every((f) => f.endsWith('.svg'))).toBe(true);
    expect(readdirSync(join(tmp, 'svg')).filter((f) => f.endsWith('.png'))).toEqual([]);
  });

  it('skips figures without data and reports their note', async () => {
    const out = await renderFigureFiles(edit(syntheticRows(), () => ({ profile: null })), META, join(tmp, 'no-profile'));
    expect(out.skipped).toEqual([
      { id: 'breakdown-category', note: msg.noProfile },
      { id: 'breakdown-scope', note: msg.noProfile },
    ]);
    expect(out.files.length).toBe(2 * (FIGURES.length - 2));
  });

  it('fails with a user error when the folder cannot be created', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    await expect(renderFigureFiles(syntheticRows(), META, join(file, 'figures'))).rejects.toMatchObject({
      code: 'UNWRITABLE',
      message: expect.stringContaining('cannot write figures to'),
    });
  });
});
