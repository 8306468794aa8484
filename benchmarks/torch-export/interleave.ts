/**
 * Interleaved timing of several sessions with identical options: each is warmed as measure() warms
 * (measure() of @mvbench/runner-core), then every round runs each arm once, the order rotating from round to round,
 * so a slow spell of the shared machine hits every arm alike.
 *
 * Sessions are made here with the options of packages/runner-ort-node (same onnxruntime-node, one inter-op thread,
 * sequential, CPU arena) but with intra-op spinning off: interleaved sessions with spinning thread pools slow each
 * other down on 2 cores (mobilevit_xxs torch export, 2 threads: 9.4 ms alone, 16 ms interleaved; 10.3 ms either
 * way without spinning). With 1 thread there are no worker threads and nothing differs.
 */
import * as ort from 'onnxruntime-node';
import { fixtureInput, summarize, type ModelArtifact } from '@mvbench/runner-core';

type Session = ort.InferenceSession;

export type Level = 'all' | 'basic' | 'disabled';
export const ortVersion = ort.env.versions.node ?? 'unknown';

export interface Arm {
  label: string;
  artifact: ModelArtifact;
  samples: number[];
}

async function session(artifact: ModelArtifact, threads: number, level: Level): Promise<Session> {
  return ort.InferenceSession.create(artifact.onnx, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: level,
    enableCpuMemArena: true,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

const now = () => process.hrtime.bigint();

/** warm-up as measure() does it: windows of 5 runs until a window median is within 2% of the previous one */
async function warm(run: () => Promise<number>): Promise<void> {
  let prev = NaN;
  for (let runs = 5; runs <= 200; runs += 5) {
    const w: number[] = [];
    for (let i = 0; i < 5; i++) w.push(await run());
    const m = summarize(w).median;
    if (runs >= 10 && Math.abs(m - prev) <= 0.02 * prev) return;
    prev = m;
  }
}

/** every arm warmed, then `rounds` rounds of one run per arm, the order rotating from round to round */
export async function interleaved(arms: Arm[], threads: number, level: Level, rounds: number): Promise<void> {
  const runs: (() => Promise<number>)[] = [];
  const sessions: Session[] = [];
  for (const arm of arms) {
    const s = await session(arm.artifact, threads, level);
    const input = arm.artifact.inputs[0];
    const feeds = { [input.name]: new ort.Tensor('float32', fixtureInput(input.shape), input.shape) };
    const run = async () => {
      const t0 = now();
      await s.run(feeds);
      return Number(now() - t0) / 1e6;
    };
    await warm(run);
    sessions.push(s);
    runs.push(run);
  }
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < arms.length; k++) {
      const i = (r + k) % arms.length;
      arms[i].samples.push(await runs[i]());
    }
  for (const s of sessions) await s.release();
}
