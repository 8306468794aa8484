/**
 * Instructions per inference of one model, counted by Valgrind's callgrind inside the runtime's inference call only
 * (not Node's start-up, the JIT or session creation):
 *
 *   valgrind --tool=callgrind --instr-atstart=no (fast until the session exists) -> count-worker.mjs creates the
 *   session, switches instrumentation on (vgdb) -> 1 warm-up + `runs` inferences; --toggle-collect counts inside the
 *   runtime's entry point, --dump-after writes one dump per inference -> the warm-up dump is dropped, the median of
 *   the others is the count (an inference now and then carries ~250 k instructions of something else, memory
 *   bookkeeping around the call: +0.2% on mobilevit_xxs; the median of 3 drops it)
 *
 * Valgrind simulates one CPU without AVX-512 and runs threads one at a time, so counts are taken with 1 intra-op
 * thread; they depend on the model, the runtime build and the CPU features Valgrind exposes, not on load or speed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureInput, type TensorSpec } from '@mvbench/runner-core';
import { estimatedCycles, readSummary } from './callgrind-file.ts';
import { valgrindStatus } from './valgrind.ts';

/** where each runtime's inference starts: a native symbol callgrind can toggle on (none for JIT-compiled wasm) */
const ENTRY: Record<string, string> = { 'ort-node:cpu': 'InferenceSessionWrap::Run(Napi::CallbackInfo const&)' };

/** why a runner's inference cannot be counted, or undefined when it can */
export function uncountable(runner: string): string | undefined {
  if (ENTRY[runner]) return undefined;
  return `instruction counts exist for ${Object.keys(ENTRY).join(', ')} only: ${runner}'s inference runs in JIT-compiled code (wasm or JS) with no native entry point to count inside`;
}

// fixed cache geometry (a common x86 L1 and an 8 MiB LL), so estimated cycles do not depend on the host's caches
const CACHE = ['--cache-sim=yes', '--I1=32768,8,64', '--D1=32768,8,64', '--LL=8388608,16,64'];

export interface CountJob {
  runner: string;
  onnxPath: string;
  inputs: readonly TensorSpec[];
  graphOptimization: string;
  /** inferences counted after the warm-up one; their median is the count */
  runs: number;
  timeoutS: number;
}

export interface InstructionCount {
  /** instructions per inference (median over the counted runs) */
  instructions: number;
  /** cycles estimated from the cache simulation (callgrind-file.ts), median */
  estimatedCycles: number;
  /** counted inferences and the spread of their instruction counts, (max - min) / median */
  runs: number;
  spread: number;
  threads: 1;
  tool: string;
}

export type CountOutcome = ({ ok: true } & InstructionCount) | { ok: false; message: string };

export async function countInstructions(job: CountJob): Promise<CountOutcome> {
  const why = uncountable(job.runner);
  if (why) return { ok: false, message: why };
  const valgrind = valgrindStatus();
  if (!valgrind.ok) return { ok: false, message: valgrind.reason };
  const dir = mkdtempSync(join(tmpdir(), 'mvbench-callgrind-'));
  try {
    const inputs = job.inputs.map((spec, i) => {
      const file = join(dir, `input-${i}.bin`);
      writeFileSync(file, fixtureInput(spec.shape));
      return { name: spec.name, shape: spec.shape, file };
    });
    const jobFile = join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify({ onnx: job.onnxPath, inputs, graphOptimization: job.graphOptimization, runs: job.runs + 1 }));
    const entry = ENTRY[job.runner];
    const args = [
      '--tool=callgrind', '--instr-atstart=no', '--collect-atstart=no', `--toggle-collect=${entry}`, `--dump-after=${entry}`,
      ...CACHE, `--callgrind-out-file=${join(dir, 'cg.out')}`,
      process.execPath, fileURLToPath(new URL('./count-worker.mjs', import.meta.url)), jobFile,
    ];
    const failed = await run('valgrind', args, job.timeoutS);
    if (failed) return { ok: false, message: failed };
    const dumps = readdirSync(dir).filter((f) => /^cg\.out\.\d+$/.test(f)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
    if (dumps.length !== job.runs + 1) return { ok: false, message: `callgrind wrote ${dumps.length} dumps for ${job.runs + 1} inferences` };
    const counted = dumps.slice(1).map((f) => readSummary(readFileSync(join(dir, f), 'utf8'), f));
    const ir = counted.map((e) => e.Ir);
    if (ir.some((n) => n === 0)) return { ok: false, message: 'callgrind counted 0 instructions in an inference (instrumentation stayed off)' };
    return {
      ok: true,
      instructions: median(ir),
      estimatedCycles: median(counted.map(estimatedCycles)),
      runs: ir.length,
      spread: (Math.max(...ir) - Math.min(...ir)) / median(ir),
      threads: 1,
      tool: `${valgrind.version} callgrind`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// a counting process must not outlive its parent
const running = new Set<ReturnType<typeof spawn>>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** runs a command to its end; resolves with undefined, or with what went wrong (exit code, stderr's tail, timeout) */
function run(cmd: string, args: string[], timeoutS: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('error', (e) => resolve(`${cmd} could not start: ${e.message}`));
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const tail = stderr.split('\n').filter((l) => l.trim() && !/^==\d+==/.test(l) && !/^--\d+--/.test(l)).slice(-3).join(' | ');
      resolve(signal === 'SIGKILL' ? `counting did not finish within ${timeoutS} s` : `${cmd} exited with ${code ?? signal}${tail ? `: ${tail}` : ''}`);
    });
  });
}
