import { describe, expect, it } from 'vitest';
import { isUserError } from '@mvbench/core';
import { checkThreads, NULL_RUNNERS, runnerCatalogue, type RunnerDescriptor } from './descriptor.ts';

describe('runner catalogue', () => {
  const made: string[] = [];
  const fake = (id: string, shares?: 'browser'): RunnerDescriptor => ({
    id, runtime: 'test', shares,
    create: async (context) => {
      made.push(`${id} ${context.browserWs ?? '-'}`);
      return (await NULL_RUNNERS[0].create(context));
    },
  });
  const catalogue = runnerCatalogue([fake('a:cpu'), fake('b:page', 'browser')]);

  it('finds a runner by id; creates it only when asked, with the context as a value', async () => {
    expect(catalogue.ids).toEqual(['a:cpu', 'b:page']);
    expect(catalogue.get('b:page').shares).toBe('browser');
    expect(made).toEqual([]);
    await catalogue.create('b:page', { browserWs: 'ws://x' });
    expect(made).toEqual(['b:page ws://x']);
  });

  it('an unknown id is UNKNOWN_RUNNER naming the available ids, prefixed with where it came from', () => {
    let error: unknown;
    try {
      catalogue.get('c:gpu', 'plan p: runners.0.runner');
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe("plan p: runners.0.runner: unknown runner 'c:gpu'; available runners: a:cpu, b:page");
    expect(() => runnerCatalogue([fake('a:cpu'), fake('a:cpu')])).toThrow(/listed twice/);
  });

  it('threads: any positive integer; anything else is BAD_ARGUMENT naming the runner', () => {
    expect(() => checkThreads('a:cpu', 64)).not.toThrow();
    for (const bad of [0, -1, 1.5, NaN]) expect(() => checkThreads('a:cpu', bad)).toThrow(`a:cpu: threads must be a positive integer, got ${bad}`);
  });
});
