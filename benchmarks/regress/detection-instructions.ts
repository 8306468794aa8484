/**
 * The instruction metric's detection rates (detection.ts --metric instructions). Each check is a real comparison:
 * base and head counted in two separate Valgrind processes (packages/instructions, median of 3 counted inferences,
 * as `mvbench regress` counts them) and judged by the check's own rule (compareInstructions, 0.2%). Counts ignore
 * load, so checks run `--jobs` counts at a time and need no quiet machine; a small model keeps Valgrind cheap.
 *
 * A change of a known fraction of the model's instructions: `ops` Sigmoids chained on the first `rows` image rows
 * of the input (a Split on the height axis), reduced and added to the logits times zero. Calibrated from counts:
 * the cost of 10 and 20 ops on all rows gives the cost per row, a row count is chosen so that one op costs ~0.05%
 * of the model, 10 and 20 ops on those rows give the cost per op and the fixed cost of the reduction. The Split and
 * the reduction cost more than the smallest changes (0.6% of mobilevit_xxs at 128 px), so both sides carry them: the
 * base is the model with the injection and 1 op, a head the same with 1 + k ops, k chosen for the target fraction of
 * the base from the cost per op alone. The achieved fraction is the measured head/base ratio of every check.
 *
 * Checks run in rounds (3 A/A, then one of each size), so a run stopped early has every series in proportion; each
 * check (and the calibration) is appended to `log` as it ends, and a run with the same spec goes on from there.
 * A size check's base is one of its round's A/A base counts (each lent once; `baseFromAA`), its head a count of its
 * own: every check still compares two separate processes, and the run needs 11 counts a round instead of 16.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countInstructions, type InstructionCount } from '@mvbench/instructions';
import { inferShapes, type Graph, type Node } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { prepareModel } from '@mvbench/pipeline';
import { compareInstructions, INSTRUCTION_THRESHOLD } from '@mvbench/regress';
import { readLog } from '../args.ts';

export interface InstructionDetectionOptions {
  spec: string;
  aa: number;
  trials: number;
  jobs: number;
  /** JSON lines: the calibration, then one line per check; read back to resume */
  logFile: string;
  log: (line: string) => void;
}

/** `ops` Sigmoids on the input's first `rows` rows (all rows: no Split), their mean times zero added to the output */
function withWork(graph: Graph, ops: number, rows: number): Graph {
  if (ops === 0) return graph;
  const input = graph.inputs[0];
  const height = input.shape[2];
  const nodes: Node[] = [];
  const initializers = new Map(graph.initializers);
  const int64 = (name: string, values: number[]) => initializers.set(name, { name, dtype: 'int64', dims: [values.length], role: 'const', init: { kind: 'data', data: BigInt64Array.from(values.map(BigInt)) } });
  let prev = input.name;
  if (rows < height) {
    int64('injected_work.split', [rows, height - rows]);
    nodes.push({ op: 'Split', name: 'injected_work/Split', inputs: [prev, 'injected_work.split'], outputs: ['injected_work/rows', 'injected_work/rest'], attrs: { axis: 2 } });
    prev = 'injected_work/rows';
  }
  for (let i = 0; i < ops; i++) {
    nodes.push({ op: 'Sigmoid', name: `injected_work/Sigmoid_${i}`, inputs: [prev], outputs: [`injected_work/Sigmoid_${i}`], attrs: {} });
    prev = `injected_work/Sigmoid_${i}`;
  }
  initializers.set('injected_work.zero', { name: 'injected_work.zero', dtype: 'float32', dims: [], role: 'const', init: { kind: 'data', data: new Float32Array([0]) } });
  const output = graph.outputs[0].name;
  const renamed = graph.nodes.map((n) => (n.outputs.includes(output) ? { ...n, outputs: n.outputs.map((o) => (o === output ? `${output}.before_work` : o)) } : n));
  nodes.push(
    { op: 'ReduceMean', name: 'injected_work/ReduceMean', inputs: [prev], outputs: ['injected_work/mean'], attrs: { keepdims: 0 } },
    { op: 'Mul', name: 'injected_work/Mul', inputs: ['injected_work/mean', 'injected_work.zero'], outputs: ['injected_work/zeroed'], attrs: {} },
    { op: 'Add', name: 'injected_work/Add', inputs: [`${output}.before_work`, 'injected_work/zeroed'], outputs: [output], attrs: {} },
  );
  return inferShapes({ ...graph, initializers, nodes: [...renamed, ...nodes], values: new Map() });
}

const SIZES = [0.003, 0.005, 0.01, 0.02, 0.05];
const AA_PER_ROUND = 3;
/** injected ops of the base (and of both sides of an A/A check) */
const BASE_OPS = 1;

interface Calibration { spec: string; baseInstructions: number; perRowPerOp: number; rows: number; height: number; perOp: number; fixed: number; perOpFraction: number }
interface Check { name: string; target: number; ops: number; base: number; head: number; ratio: number; verdict: string; baseFromAA?: boolean }
type LogLine = ({ kind: 'calibration' } & Calibration) | ({ kind: 'check'; spec: string } & Check);

export async function instructionDetection(o: InstructionDetectionOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'mvbench-detection-'));
  try {
    const model = prepareModel(o.spec);
    const height = model.graph.inputs[0].shape[2];
    const files = new Map<string, string>();
    const fileFor = (ops: number, rows: number) => {
      const key = `${ops}x${rows}`;
      if (!files.has(key)) {
        files.set(key, join(dir, `work-${key}.onnx`));
        writeFileSync(files.get(key)!, toOnnx(withWork(model.graph, ops, rows)));
      }
      return files.get(key)!;
    };
    const count = async (path: string): Promise<InstructionCount> => {
      const r = await countInstructions({ runner: 'ort-node:cpu', onnxPath: path, inputs: model.artifact.inputs, graphOptimization: 'all', runs: 3, timeoutS: 1800 });
      if (!r.ok) throw new Error(`counting ${path} failed: ${r.message}`);
      return r;
    };
    // up to `jobs` counting processes at once
    let active = 0;
    const waiting: (() => void)[] = [];
    const limited = async <T>(f: () => Promise<T>): Promise<T> => {
      if (active >= o.jobs) await new Promise<void>((r) => waiting.push(r));
      active++;
      try {
        return await f();
      } finally {
        active--;
        waiting.shift()?.();
      }
    };
    const counted = (ops: number, rows: number) => limited(() => count(fileFor(ops, rows)));
    const earlier = readLog<LogLine>(o.logFile)
      .filter((l) => l.spec === o.spec);
    const write = (line: LogLine) => appendFileSync(o.logFile, JSON.stringify(line) + '\n');

    // calibration (deterministic counts: one each), kept in the log so a resumed run injects the same ops
    let calibration = earlier.find((l) => l.kind === 'calibration') as Calibration | undefined;
    if (!calibration) {
      const [c0, all10, all20] = await Promise.all([counted(0, height), counted(10, height), counted(20, height)]);
      const perRowPerOp = (all20.instructions - all10.instructions) / 10 / height;
      const rows = Math.max(1, Math.min(height, Math.round((0.0005 * c0.instructions) / perRowPerOp)));
      const [r10, r20] = await Promise.all([counted(10, rows), counted(20, rows)]);
      const perOp = (r20.instructions - r10.instructions) / 10;
      const fixed = r10.instructions - c0.instructions - 10 * perOp;
      calibration = { spec: o.spec, baseInstructions: c0.instructions, perRowPerOp, rows, height, perOp, fixed, perOpFraction: perOp / c0.instructions };
      write({ kind: 'calibration', ...calibration });
    }
    const { baseInstructions, rows, perOp, fixed } = calibration;
    o.log(`calibration: model ${baseInstructions} instructions; one op on ${rows}/${height} rows = ${perOp.toFixed(0)} (${((100 * perOp) / baseInstructions).toFixed(4)}%), fixed ${fixed.toFixed(0)} (${((100 * fixed) / baseInstructions).toFixed(3)}%)`);
    // both sides carry the Split, the reduction and BASE_OPS ops; a head adds k more
    const withBase = baseInstructions + fixed + BASE_OPS * perOp;
    const opsFor = (f: number) => BASE_OPS + Math.max(1, Math.round((f * withBase) / perOp));

    const series = [{ name: 'A/A', target: 0, ops: BASE_OPS, n: o.aa }, ...SIZES.map((f) => ({ name: `${+(f * 100).toFixed(1)}% more instructions`, target: f, ops: opsFor(f), n: o.trials }))];
    const checks = new Map<string, Check[]>(series.map((s) => [s.name, earlier.flatMap((l) => (l.kind === 'check' && l.name === s.name && l.ops === s.ops ? [l] : []))]));
    // base counts of A/A checks, each lent once to a size check as its base (each side is still its own process)
    const spare: InstructionCount[] = [];
    const baseCount = () => limited(() => count(fileFor(BASE_OPS, rows)));
    const check = async (s: (typeof series)[number], lent?: InstructionCount) => {
      const [b, h] = await Promise.all([lent ?? baseCount(), s.target ? limited(() => count(fileFor(s.ops, rows))) : baseCount()]);
      if (!s.target) spare.push(b, h);
      const c = compareInstructions(b, h, INSTRUCTION_THRESHOLD);
      const line = { name: s.name, target: s.target, ops: s.ops, base: b.instructions, head: h.instructions, ratio: c.ratio, verdict: c.verdict, ...(lent && { baseFromAA: true }) };
      write({ kind: 'check', spec: o.spec, ...line });
      checks.get(s.name)!.push(line);
      o.log(`${s.name} ${checks.get(s.name)!.length}/${s.n}: ${c.verdict} (x${c.ratio.toFixed(5)})`);
    };
    // rounds: AA_PER_ROUND A/A checks, then one check of each size on their base counts
    const left = () => series.flatMap((s) => Array.from({ length: Math.max(0, Math.min(s.target ? 1 : AA_PER_ROUND, s.n - checks.get(s.name)!.length)) }, () => s));
    for (let round = left(); round.length; round = left()) {
      await Promise.all(round.filter((s) => !s.target).map((s) => check(s)));
      await Promise.all(round.filter((s) => s.target).map((s) => check(s, spare.shift())));
    }

    const summary = series.map((s) => {
      const done = checks.get(s.name)!;
      const ratios = done.map((c) => c.ratio).sort((a, b) => a - b);
      return {
        name: s.name, target: s.target, ops: s.ops, predicted: ((s.ops - BASE_OPS) * perOp) / withBase, runs: done.length,
        regressions: done.filter((c) => c.verdict === 'regression').length,
        medianRatio: ratios[Math.floor(ratios.length / 2)], minRatio: ratios[0], maxRatio: ratios.at(-1)!, checks: done,
      };
    });
    return { calibration, aa: summary[0], sizes: summary.slice(1), threshold: INSTRUCTION_THRESHOLD };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
