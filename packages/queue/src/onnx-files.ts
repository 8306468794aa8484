/**
 * A plan's .onnx files on the queue: they exist only on the coordinator's machine, so the coordinator puts each file's
 * bytes in Redis, in the sweep's key space under their sha256, and a worker writes them to its work folder before the
 * file's first cell, after checking the hash. Rows name the file as on one machine (its name and hash, no path).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { userError } from '@mvbench/core';
import type { Cell } from '@mvbench/plan';
import { prefixOf } from './connection.ts';

type OnnxCellModel = NonNullable<Cell['onnx']>;

const keyOf = (sweep: string, sha256: string) => `${prefixOf(sweep)}:onnx:${sha256}`;
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const filesOf = (cells: readonly Cell[]) => [...new Map(cells.flatMap((c) => (c.onnx ? [[c.onnx.sha256, c.onnx] as const] : []))).values()];

/** each file's bytes in Redis (once; again after a Redis restarted without its data) */
export async function putOnnxFiles(redis: Redis, sweep: string, cells: readonly Cell[]): Promise<void> {
  for (const m of filesOf(cells)) {
    const key = keyOf(sweep, m.sha256);
    if (await redis.exists(key)) continue;
    const bytes = readFileSync(m.path);
    if (sha256Of(bytes) !== m.sha256) throw userError('CORRUPT_FILE', `${m.path} changed while the sweep ran (sha256 ${sha256Of(bytes).slice(0, 12)}, planned ${m.sha256.slice(0, 12)})`);
    await redis.set(key, Buffer.from(bytes));
  }
}

export async function dropOnnxFiles(redis: Redis, sweep: string, cells: readonly Cell[]): Promise<void> {
  for (const m of filesOf(cells)) await redis.del(keyOf(sweep, m.sha256));
}

/** the cell's model with its bytes written to `dir` (the hash checked); a spec's cell as it is */
export async function fetchOnnxFile(redis: Redis, sweep: string, cell: Cell, dir: string): Promise<Cell> {
  const m: OnnxCellModel | undefined = cell.onnx;
  if (!m) return cell;
  const bytes = await redis.getBuffer(keyOf(sweep, m.sha256));
  if (!bytes) throw new Error(`${m.file}: its bytes are not in Redis (yet); the coordinator puts them there`); // the job is tried again
  if (sha256Of(bytes) !== m.sha256) throw userError('CORRUPT_FILE', `${m.file}: the bytes in Redis have sha256 ${sha256Of(bytes).slice(0, 12)}, not the planned ${m.sha256.slice(0, 12)}`);
  const path = join(dir, `${m.sha256.slice(0, 16)}-${m.file}`);
  writeFileSync(path, bytes);
  return { ...cell, onnx: { ...m, path } };
}
