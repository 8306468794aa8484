/**
 * The one checked parser for every number a user types: CLI options, spec knobs, plan lists, benchmark flags.
 * `Number()` alone turns 'abc' into NaN, '' into 0, '0x1' into 1 and '5%' into NaN; a NaN that reaches a decision
 * can switch off a CI gate. Only plain decimals are numbers here ('12', '-0.5', '.25', '3e6').
 */
import { userError } from './errors.ts';

export interface NumberRule {
  integer?: boolean;
  /** inclusive bounds unless `above` / `below` are used */
  min?: number;
  max?: number;
  /** exclusive bounds */
  above?: number;
  below?: number;
  /** how to write a valid value, added to the message (e.g. 'a fraction such as 0.05 for 5%') */
  hint?: string;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** what the rule allows, in words: "an integer from 1 to 64", "a number above 0 and below 1" */
export function describeNumberRule(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined && rule.max !== undefined) parts.push(`from ${rule.min} to ${rule.max}`);
  else if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  else if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.above !== undefined) parts.push(`above ${rule.above}`);
  if (rule.below !== undefined) parts.push(`below ${rule.below}`);
  const base = `${rule.integer ? 'an integer' : 'a number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
  return rule.hint ? `${base} (${rule.hint})` : base;
}

/** the reason `text` breaks `rule`, or undefined when it is a valid value */
export function checkNumber(text: string, rule: NumberRule = {}): { value: number } | { problem: string } {
  const t = text.trim();
  if (!DECIMAL.test(t)) return { problem: t ? `'${text}' is not a decimal number` : 'the value is empty' };
  const n = Number(t);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.max === undefined || n <= rule.max) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.below === undefined || n < rule.below);
  return ok ? { value: n } : { problem: `'${text}' is out of range` };
}

/** parses `text` or throws a BAD_ARGUMENT user error naming `what` (an option, a field) and what it allows */
export function parseNumber(text: string, what: string, rule: NumberRule = {}): number {
  const r = checkNumber(text, rule);
  if ('value' in r) return r.value;
  throw userError('BAD_ARGUMENT', `${what}: ${r.problem}; expected ${describeNumberRule(rule)}`);
}

/** a comma-separated list of numbers, each checked: `--threads 1,2`, `--widths 0.5,0.75` */
export const parseNumberList = (text: string, what: string, rule: NumberRule = {}): number[] => {
  const items = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (!items.length) throw userError('BAD_ARGUMENT', `${what}: the list is empty; expected ${describeNumberRule(rule)}, comma-separated`);
  return items.map((x) => parseNumber(x, what, rule));
};
