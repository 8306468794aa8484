/**
 * The instruction metric's detection rates (detection.ts --metric instructions). Each check is a real comparison:
 * base and head counted in two separate Valgrind processes (packages/instructions, median of 3 counted inferences,
 * as `mvbench regress` counts them) and judged by the check's own rule (compareInstructions, 0.2%). Counts ignore
 * load, so checks run `--jobs` counts at a time and need no quiet machine; a small model keeps Valgrind cheap.
 *
 * A change of a known fraction of the model's instructions: `ops` Sigmoids chained on the first `rows` image rows
 * of the input (a Split on the height axis), reduced and added to the logits times zero. Calibrated from counts:
 * the cost of 10 and 20 ops on all rows gives the cost per row, a row count is chosen so that one op costs ~0.05%
 * of the model, 10 and 20 ops on those rows give the cost per op and the fixed cost of the reduction; then each
 * target fraction gets its op count. The achieved fraction is the measured head/base ratio of every check.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countInstructions, type InstructionCount } from '@mvbench/instructions';
import { inferShapes, type Graph, type Node } from '@mvbench/ir';
import { toOnnx } from '@mvbench/onnx';
import { prepareModel } from '@mvbench/pipeline';
import { compareInstructions, INSTRUCTION_THRESHOLD } from '@mvbench/regress';

export interface InstructionDetectionOptions {
  spec: string;
  aa: number;
  trials: number;
  jobs: number;
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

interface Check { base: number; head: number; ratio: number; verdict: string }

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

    // calibration (deterministic counts: one each)
    const [c0, all10, all20] = await Promise.all([counted(0, height), counted(10, height), counted(20, height)]);
    const perRow = (all20.instructions - all10.instructions) / 10 / height;
    const rows = Math.max(1, Math.min(height, Math.round((0.0005 * c0.instructions) / perRow)));
    const [r10, r20] = await Promise.all([counted(10, rows), counted(20, rows)]);
    const perOp = (r20.instructions - r10.instructions) / 10;
    const fixed = r10.instructions - c0.instructions - 10 * perOp;
    const opsFor = (f: number) => Math.max(1, Math.round((f * c0.instructions - fixed) / perOp));
    const calibration = { baseInstructions: c0.instructions, perRowPerOp: perRow, rows, height, perOp, fixed, perOpFraction: perOp / c0.instructions };
    o.log(`calibration: model ${c0.instructions} instructions; one op on ${rows}/${height} rows = ${perOp.toFixed(0)} (${((100 * perOp) / c0.instructions).toFixed(4)}%), fixed ${fixed.toFixed(0)}`);

    const series = async (name: string, target: number, ops: number, n: number) => {
      const head = fileFor(ops, rows);
      const base = fileFor(0, height);
      const checks: Check[] = await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          // every check counts both sides afresh, each in its own process
          const [b, h] = await Promise.all([limited(() => count(base)), limited(() => count(head))]);
          const c = compareInstructions(b, h, INSTRUCTION_THRESHOLD);
          o.log(`${name} ${i + 1}/${n}: ${c.verdict} (x${c.ratio.toFixed(5)})`);
          return { base: b.instructions, head: h.instructions, ratio: c.ratio, verdict: c.verdict };
        }),
      );
      const ratios = checks.map((c) => c.ratio).sort((a, b) => a - b);
      const predicted = ops ? (fixed + ops * perOp) / c0.instructions : 0;
      return {
        name, target, ops, predicted, runs: n,
        regressions: checks.filter((c) => c.verdict === 'regression').length,
        medianRatio: ratios[Math.floor(n / 2)], minRatio: ratios[0], maxRatio: ratios[n - 1],
        checks,
      };
    };
    const aa = await series('A/A', 0, 0, o.aa);
    const sizes = [];
    for (const f of [0.005, 0.01, 0.02, 0.05]) sizes.push(await series(`${f * 100}% more instructions`, f, opsFor(f), o.trials));
    return { calibration, aa, sizes, threshold: INSTRUCTION_THRESHOLD };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
