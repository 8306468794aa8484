import type { RedisOptions } from 'bullmq';

/** BullMQ's options for a checked queue URL: each queue and worker opens (and closes) connections of its own,
 *  retrying forever while Redis restarts */
export const redisOptions = (url: string): RedisOptions => ({ url, maxRetriesPerRequest: null, retryStrategy: (n: number) => Math.min(n * 200, 2000) });
