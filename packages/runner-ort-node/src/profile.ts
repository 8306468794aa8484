import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { userError } from '@mvbench/core';
import type { KernelTiming } from '@mvbench/runner-core';
import type { OrtPrepared } from './ort-node-runner.ts';

export type { KernelTiming } from '@mvbench/runner-core';

interface TraceEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string };
}

const KERNEL = '_kernel_time';

/**
 * Stops profiling for a session prepared with `profile: true` and returns the kernel timings of every run since
 * `prepare` (warm-up runs included), then deletes the profile file.
 */
export function endProfile(prepared: OrtPrepared): KernelTiming[] {
  const dir = prepared.profileDir;
  if (!dir) {
    const id = prepared.model.id;
    throw userError('BAD_ARGUMENT', `model '${id}' is not being profiled: prepare it with { profile: true }`);
  }
  try {
    prepared.session.endProfiling();
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    return files.flatMap((f) => kernelTimings(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    prepared.profileDir = undefined;
  }
}

function kernelTimings(events: TraceEvent[]): KernelTiming[] {
  return events
    .filter((e) => e.cat === 'Node' && e.name?.endsWith(KERNEL))
    .map((e) => ({ node: e.name!.slice(0, -KERNEL.length), op: e.args?.op_name ?? 'unknown', durUs: e.dur ?? 0 }));
}
