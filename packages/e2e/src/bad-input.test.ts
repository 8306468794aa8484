/**
 * The CLI's bad-input suite runs in-process (apps/sweep/src/cli/bad-input.test.ts); these few cases run it as a user
 * does, in its own process under tsx, so the exit code, the loader's errors and the absence of a stack trace are
 * those a shell sees.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli.ts';

describe('bad input in a real process', () => {
  it('a typo in a threshold of the CI gate exits 2 before anything is built; so do a broken plan and an unwritable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvbench-bad-input-'));
    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'export default { name: "x", runners: [\n');
    const cases: [string[], RegExp][] = [
      [['regress', '--min-effect', '5%'], /option '--min-effect <fraction>' argument '5%' is invalid.*a fraction such as 0.05 for 5%/],
      [['sweep', '--plan', broken, '--out', join(dir, 'r.jsonl')], /plan file .*broken.ts cannot be loaded/],
      [['sweep', '--models', 'mobilevit_xxs', '--runner', 'null', '--out', '/proc/mvbench.jsonl'], /results file \/proc\/mvbench.jsonl is not writable/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    }
    expect(existsSync(join(dir, 'r.jsonl'))).toBe(false);
  });
});
