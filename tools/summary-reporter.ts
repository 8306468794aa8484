/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, that CI systems read, and before it the
 * slowest test files (tests and hooks, s): where CI's time goes, for keeping the run under its limit.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

const SLOWEST = 12;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) count.failed++;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed') count.failed++;
        else count.skipped++;
      }
    }
    const slowest = modules.map((m) => ({ file: relative(process.cwd(), m.moduleId), s: m.diagnostic().duration / 1000 })).sort((a, b) => b.s - a.s).slice(0, SLOWEST);
    process.stdout.write(`\nSlowest test files (s): ${slowest.map((m) => `${m.file} ${m.s.toFixed(0)}`).join(', ')}\n`);
    process.stdout.write(`Tests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
