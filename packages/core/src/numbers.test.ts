import { describe, expect, it } from 'vitest';
import { checkNumber, parseNumber, parseNumberList } from './numbers.ts';

describe('the one checked number parser', () => {
  it('takes plain decimals', () => {
    for (const [t, v] of [['12', 12], ['-0.5', -0.5], ['.25', 0.25], ['3e6', 3e6], [' 7 ', 7], ['1.', 1]] as const)
      expect(parseNumber(t, '--x')).toBe(v);
  });

  it('refuses what Number() would quietly turn into something else', () => {
    for (const t of ['abc', '', ' ', '5%', '0x1', '0b1', 'Infinity', 'NaN', '1,5', '1e400', '--1'])
      expect('problem' in checkNumber(t), t).toBe(true);
  });

  it('names the option and what it allows', () => {
    expect(() => parseNumber('1.5', '--seed', { integer: true, min: 0 })).toThrow(/--seed: '1.5' is out of range; expected an integer >= 0/);
    expect(() => parseNumber('5%', '--min-effect', { above: 0, below: 1, hint: 'a fraction such as 0.05 for 5%' })).toThrow(
      /--min-effect: '5%' is not a decimal number; expected a number above 0 and below 1 \(a fraction such as 0.05 for 5%\)/,
    );
    expect(() => parseNumber('-5', '--budget-ms', { above: 0 })).toThrow(/--budget-ms/);
    try {
      parseNumber('x', 'f');
    } catch (e) {
      expect((e as { code: string; user: boolean }).code).toBe('BAD_ARGUMENT');
      expect((e as { user: boolean }).user).toBe(true);
    }
  });

  it('checks every item of a list, and an empty list', () => {
    expect(parseNumberList('1, 2', '--threads', { integer: true, min: 1 })).toEqual([1, 2]);
    expect(() => parseNumberList('1,x', '--threads', { integer: true })).toThrow(/--threads: 'x'/);
    expect(() => parseNumberList(',', '--threads')).toThrow(/--threads: the list is empty/);
  });
});
