import { describe, expect, it } from 'vitest';
import type { InstructionCount } from '@mvbench/instructions';
import { compareInstructions, disagreement } from './decide-instructions.ts';
import { metricsAvailable } from './run-regress.ts';

const count = (instructions: number, estimatedCycles = instructions * 1.5): InstructionCount => ({ instructions, estimatedCycles, runs: 1, spread: 0, threads: 1, tool: 'valgrind-3.19.0 callgrind' });

describe('the instruction-count verdict', () => {
  it('a change beyond the threshold is a regression (or fewer); within it, the same', () => {
    expect(compareInstructions(count(1e8), count(1.003e8)).verdict).toBe('regression');
    expect(compareInstructions(count(1e8), count(1.0015e8)).verdict).toBe('same');
    expect(compareInstructions(count(1e8), count(0.99e8)).verdict).toBe('fewer');
    expect(compareInstructions(count(1e8), count(1.0015e8), 0.001).verdict).toBe('regression');
    const c = compareInstructions(count(1e8, 2e8), count(1.01e8, 2.1e8));
    expect(c.ratio).toBeCloseTo(1.01, 10);
    expect(c.cyclesRatio).toBeCloseTo(1.05, 10);
  });
  it('a NaN or out-of-range threshold is refused, not read as "same"', () => {
    expect(() => compareInstructions(count(1), count(2), NaN)).toThrow(/threshold/);
    expect(() => compareInstructions(count(1), count(2), 0)).toThrow(/threshold/);
  });
  it('says when time and instructions disagree', () => {
    expect(disagreement('same', 'regression')).toMatch(/more instructions, wall time not confirmed slower/);
    expect(disagreement('regression', 'same')).toMatch(/slower with the same instructions/);
    expect(disagreement('regression', 'regression')).toBeUndefined();
    expect(disagreement('not-measured', 'regression')).toBeUndefined();
  });
});

describe('metrics a machine can give', () => {
  const none = { ok: false as const, reason: 'valgrind is not installed (or not on PATH): install it' };
  it('without Valgrind: both falls back to time with a message; instructions alone is a user error', () => {
    expect(metricsAvailable('both', none)).toEqual({ time: true, instructions: false, note: expect.stringMatching(/wall time only: valgrind is not installed/) });
    expect(() => metricsAvailable('instructions', none)).toThrow(/--metric instructions needs Valgrind: valgrind is not installed/);
    expect(metricsAvailable('time', none)).toEqual({ time: true, instructions: false });
    expect(metricsAvailable('instructions', { ok: true, version: 'valgrind-3.19.0' })).toEqual({ time: false, instructions: true });
  });
});
