/**
 * The Redis behind a queue: its URL checked and redacted (a password is never printed or written), the connection
 * (ioredis reconnects by itself after a Redis restart; BullMQ needs maxRetriesPerRequest: null), and the keys.
 * A sweep's jobs live under a prefix of their own (`mvbench:<sweep>`): two sweeps on one Redis never mix.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { userError } from '@mvbench/core';

/** the active sweeps: sweep name -> SweepMeta as JSON (what a worker needs to join) */
export const SWEEPS_KEY = 'mvbench:sweeps';
export const prefixOf = (sweep: string): string => `mvbench:${sweep}`;
export const cellQueueName = (machineClass: string): string => `cells-${machineClass}`;
/** accuracy and training jobs: any machine class takes them */
export const ACCURACY_QUEUE = 'accuracy';
/** rows and accuracies on their way back to the coordinator */
export const RESULTS_QUEUE = 'results';
/** BullMQ job ids must not contain ':' (cell keys do) */
export const jobIdOf = (key: string): string => `j${createHash('sha1').update(key).digest('hex')}`;

const CLASS = /^[A-Za-z0-9_.-]{1,64}$/;
export function checkMachineClass(name: string, option: string): string {
  if (!CLASS.test(name)) throw userError('BAD_ARGUMENT', `${option} '${name}': letters, digits, '.', '_' and '-' (1-64 characters)`);
  return name;
}

/** `url` without its password: what messages and files may show */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** a checked `redis://[user:password@]host[:port][/db]` (or rediss:// for TLS) */
export function checkQueueUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw userError('BAD_ARGUMENT', `--queue: not a URL; expected redis://[user:password@]host[:port][/db], e.g. redis://127.0.0.1:6379/0`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw userError('BAD_ARGUMENT', `--queue ${redactUrl(url)}: expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0`);
  if (!u.hostname) throw userError('BAD_ARGUMENT', `--queue ${redactUrl(url)}: the URL names no host`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d{1,5}$/.test(db)) throw userError('BAD_ARGUMENT', `--queue ${redactUrl(url)}: the database '/${db}' must be a number (0-15 on a default Redis)`);
  return url;
}

export function connect(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, retryStrategy: (n) => Math.min(n * 200, 2000) });
  redis.on('error', () => {}); // reconnecting is ioredis's job; unhandled 'error' events would end the process
  return redis;
}

/** resolves once Redis answers, or throws a message naming the (redacted) URL and stops reconnecting (the process
 *  can end with its exit code) */
export async function ping(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(userError('BAD_ARGUMENT', `--queue ${redactUrl(url)}: Redis did not answer within ${timeoutMs / 1000} s (is redis-server running there?)`));
      redis.disconnect();
    }, timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** after a sweep: BullMQ's few bookkeeping keys that workers still closing recreate expire within an hour */
export async function expireLeftovers(redis: Redis, sweep: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefixOf(sweep)}:*`, count: 200 })) for (const k of keys as string[]) await redis.expire(k, 3600);
}
