import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { userError } from '@mvbench/ir';

/** writes to a temporary file beside the target, then renames: a reader never sees a half-written file */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    throw userError('UNWRITABLE', `cannot write ${file}: ${(e as Error).message}`);
  }
}
