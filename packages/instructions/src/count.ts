/**
 * Instructions per inference of one model, counted by Valgrind's callgrind inside the runtime's inference call only
 * (not Node's start-up, the JIT or session creation):
 *
 *   valgrind --tool=callgrind --instr-atstart=no (fast until the session exists) -> the runner's worker script creates
 *   the session, runs `silentRuns` inferences (instrumentation still off), switches instrumentation on (vgdb) ->
 *   1 warm-up + `runs` inferences; --toggle-collect counts while the runner's toggle function is on the stack,
 *   --dump-after writes one dump per inference -> the warm-up dump is dropped, the median of the others is the count
 *   (an inference now and then carries ~250 k instructions of something else, memory bookkeeping around the call:
 *   +0.2% on mobilevit_xxs on ort-node:cpu; the median of 3 drops it)
 *
 * Valgrind simulates one CPU without AVX-512 and runs threads one at a time, so counts are taken with 1 intra-op
 * thread; they depend on the model, the runtime build and the CPU features Valgrind exposes, not on load or speed.
 * How each runner is counted is data (COUNTING); a runner without an entry there cannot be counted (uncountable()).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureInput, type TensorSpec } from '@mvbench/runner-core';
import { estimatedCycles, readSummary } from './callgrind-file.ts';
import { valgrindStatus } from './valgrind.ts';

/** how one runner's inference is counted */
interface Counting {
  /** the plain-JS script Valgrind runs: loads the runtime, creates the session, switches instrumentation on, runs */
  worker: string;
  /** callgrind counts while this function is on the stack */
  toggle: string;
  /** callgrind writes a dump each time this function returns: once per inference */
  dumpAfter: string;
  nodeFlags: readonly string[];
  /** inferences run before instrumentation is switched on (fast: ~10x native speed instead of ~50-100x) */
  silentRuns: number;
}

const ORT_NODE_RUN = 'InferenceSessionWrap::Run(Napi::CallbackInfo const&)';

const COUNTING: Record<string, Counting> = {
  'ort-node:cpu': { worker: 'count-worker.mjs', toggle: ORT_NODE_RUN, dumpAfter: ORT_NODE_RUN, nodeFlags: [], silentRuns: 0 },
  // JIT-compiled wasm has no symbols, but every call from JS into wasm passes through this builtin of the node
  // binary: counted are the wasm calls of an inference (OrtRun and the few around it, and the JS that wasm calls back
  // into), not the JS glue between them.
  //  --no-short-builtin-calls   builtins run from the binary (named), not from a nameless copy near the JIT code
  //  --no-liftoff               wasm compiled by TurboFan only, on a function's first call (during the silent runs):
  //                             no timing-dependent tier-up, no compilation in a counted inference
  //  --no-turbo-inline-js-wasm-calls   optimised JS keeps calling wasm through the wrapper instead of inlining it
  // V8 replaces a function's generic wrapper by a compiled one after 1,000 calls (V8 11's kGenericWrapperBudget, no
  // flag): ORT calls back into wasm through JS tens of times per inference (per node), and their cheaper wrappers
  // then lower the count by ~0.1% (mobilenetv2_050 at 32 px: 24.41 M -> 24.29 M instructions around its 16th
  // inference, with a +1.5% spike where V8 compiles one). 100 silent runs switch every function called 10 or more
  // times per inference before counting; the ones left are per-run calls, the same for base and head. OrtRun itself
  // is called once per inference and keeps the generic wrapper; if it lost it, the counts would collapse, which
  // checkDumps refuses.
  'ort-web:wasm': {
    worker: 'count-worker-ort-web.mjs',
    toggle: 'Builtins_GenericJSToWasmWrapper',
    dumpAfter: 'node::CPUUsage(v8::FunctionCallbackInfo<v8::Value> const&)',
    nodeFlags: ['--no-short-builtin-calls', '--no-liftoff', '--no-turbo-inline-js-wasm-calls'],
    silentRuns: 100,
  },
};

/** why a runner's inference cannot be counted, or undefined when it can */
export function uncountable(runner: string): string | undefined {
  if (COUNTING[runner]) return undefined;
  const why = runner.startsWith('tfjs:')
    ? 'tfjs calls its backend once per kernel, with JavaScript between the kernels; counted inside the JS-to-wasm wrapper, a kernel drops out of the count once V8 gives it a wrapper of its own (README, Instruction counts)'
    : runner.endsWith('-browser')
      ? 'its inference runs inside Chromium, not in a Node process that Valgrind runs'
      : 'no way to count it is set up';
  return `instruction counts exist for ${Object.keys(COUNTING).join(', ')} only: ${runner} cannot be counted (${why})`;
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
    const how = COUNTING[job.runner];
    writeFileSync(jobFile, JSON.stringify({ onnx: job.onnxPath, inputs, graphOptimization: job.graphOptimization, runs: job.runs + 1, silentRuns: how.silentRuns }));
    const args = [
      '--tool=callgrind', '--instr-atstart=no', '--collect-atstart=no', `--toggle-collect=${how.toggle}`, `--dump-after=${how.dumpAfter}`,
      ...CACHE, `--callgrind-out-file=${join(dir, 'cg.out')}`,
      process.execPath, ...how.nodeFlags, fileURLToPath(new URL(`./${how.worker}`, import.meta.url)), jobFile,
    ];
    const failed = await run('valgrind', args, job.timeoutS);
    if (failed) return { ok: false, message: failed };
    const dumps = readdirSync(dir).filter((f) => /^cg\.out\.\d+$/.test(f)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
    if (dumps.length !== job.runs + 1) return { ok: false, message: `callgrind wrote ${dumps.length} dumps for ${job.runs + 1} inferences` };
    const counted = dumps.slice(1).map((f) => readSummary(readFileSync(join(dir, f), 'utf8'), f));
    const ir = counted.map((e) => e.Ir);
    const wrong = checkDumps(job.runner, ir);
    if (wrong) return { ok: false, message: wrong };
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

/** fewer instructions than this in an inference means counting did not see it (ORT's run alone costs more) */
const MIN_INSTRUCTIONS = 100_000;

/**
 * Counts that cannot be an inference's: a dump of 0 (instrumentation stayed off), one below MIN_INSTRUCTIONS, or one
 * below half of the largest (counting stopped partway, e.g. V8 gave the wasm entry a wrapper callgrind does not see).
 */
export function checkDumps(runner: string, ir: readonly number[]): string | undefined {
  const all = ir.map((n) => n.toLocaleString('en-US')).join(', ');
  if (ir.some((n) => n === 0)) return `callgrind counted 0 instructions in an inference of ${runner} (instrumentation stayed off; counts: ${all})`;
  if (ir.some((n) => n < MIN_INSTRUCTIONS)) return `callgrind counted under ${MIN_INSTRUCTIONS.toLocaleString('en-US')} instructions in an inference of ${runner}: counting missed the inference (counts: ${all})`;
  if (Math.min(...ir) < Math.max(...ir) / 2) return `the counted inferences of ${runner} differ by more than 2x: counting stopped partway through the runs (counts: ${all})`;
  return undefined;
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
