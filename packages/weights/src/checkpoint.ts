/**
 * Moves weights between a graph's param/buffer initializers and a checkpoint (tensor name → float32 data in the
 * checkpoint's layout). `const` initializers are structural and never part of a checkpoint.
 */
import { MvbenchError, userError } from '@mvbench/core';
import { materialize, numel, shapeString } from '@mvbench/ir';
import type { Graph, Initializer } from '@mvbench/ir';

export interface CheckpointTensor {
  shape: readonly number[];
  data: Float32Array;
}

export interface CheckpointSource {
  tensors: ReadonlyMap<string, CheckpointTensor>;
}

export interface LoadCheckpointOptions {
  /** checkpoint tensor name → graph initializer name (identity when absent) */
  nameMap?: (ckptName: string) => string;
  /** file name for error messages */
  file?: string;
}

export interface ShapeMismatch {
  name: string;
  fileShape: number[];
  /** in checkpoint layout (already transposed back when the initializer is `checkpointTransposed`) */
  expected: number[];
}

export interface WeightsProblems {
  /** graph initializer names with no tensor in the file */
  missing: string[];
  /** checkpoint tensor names that match no param/buffer of the graph */
  extra: string[];
  misshaped: ShapeMismatch[];
  /** anything else (several tensors mapped to one initializer, non-float32 initializers) */
  other: string[];
}

export class WeightsMismatchError extends MvbenchError {
  constructor(
    message: string,
    readonly problems: WeightsProblems,
  ) {
    super('WEIGHTS_MISMATCH', message, true);
  }
}

export interface CheckpointEntry {
  name: string;
  shape: number[];
  data: Float32Array;
}

const LIST_LIMIT = 20;

const isLoaded = (init: Initializer): boolean => init.role === 'param' || init.role === 'buffer';

function checkpointShape(init: Initializer): number[] {
  if (!init.checkpointTransposed) return [...init.dims];
  if (init.dims.length !== 2)
    throw new MvbenchError('INVALID_GRAPH', `initializer '${init.name}' is checkpointTransposed but has shape ${shapeString(init.dims)}, not 2-D`, false);
  return [init.dims[1], init.dims[0]];
}

/** [rows, cols] row-major → [cols, rows] */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Returns a copy of `graph` whose param/buffer initializers hold the checkpoint's data. Every initializer must be
 * covered and every tensor used, with matching shapes; otherwise one WeightsMismatchError lists all problems and
 * nothing is loaded. Untransposed data is shared with the checkpoint (no copy). The input graph is never modified.
 */
export function loadCheckpoint(graph: Graph, ckpt: CheckpointSource, opts: LoadCheckpointOptions = {}): Graph {
  const label = opts.file ? `weights file '${opts.file}'` : 'checkpoint';
  const target = new Map<string, string>();
  const sources = new Map<string, string[]>();
  for (const [ckptName, t] of ckpt.tensors) {
    if (t.data.length !== numel(t.shape))
      throw userError('CORRUPT_FILE', `${label}: tensor '${ckptName}' has shape ${shapeString(t.shape)} but ${t.data.length} values`);
    const name = opts.nameMap ? opts.nameMap(ckptName) : ckptName;
    target.set(ckptName, name);
    sources.set(name, [...(sources.get(name) ?? []), ckptName]);
  }

  const problems: WeightsProblems = { missing: [], extra: [], misshaped: [], other: [] };
  const assigned = new Map<string, CheckpointTensor>();
  for (const init of graph.initializers.values()) {
    if (!isLoaded(init)) continue;
    const from = sources.get(init.name);
    const expected = checkpointShape(init);
    if (!from) problems.missing.push(init.name);
    else if (from.length > 1) problems.other.push(`'${init.name}' is the target of ${from.map((n) => `'${n}'`).join(', ')}`);
    else if (init.dtype !== 'float32') problems.other.push(`'${init.name}' is ${init.dtype}; checkpoints hold float32 only`);
    else {
      const t = ckpt.tensors.get(from[0])!;
      if (sameShape(t.shape, expected)) assigned.set(init.name, t);
      else problems.misshaped.push({ name: from[0], fileShape: [...t.shape], expected });
    }
  }
  for (const [ckptName, name] of target) {
    const init = graph.initializers.get(name);
    if (!init || !isLoaded(init)) problems.extra.push(ckptName);
  }
  const { missing, extra, misshaped, other } = problems;
  if (missing.length + extra.length + misshaped.length + other.length > 0)
    throw new WeightsMismatchError(describe(graph, ckpt, label, target, problems), problems);

  const initializers = new Map<string, Initializer>();
  for (const [name, init] of graph.initializers) {
    const t = assigned.get(name);
    if (!t) initializers.set(name, init);
    else {
      const data = init.checkpointTransposed ? transpose(t.data, t.shape[0], t.shape[1]) : t.data;
      initializers.set(name, { ...init, init: { kind: 'data', data } });
    }
  }
  return {
    ...graph,
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
    nodes: [...graph.nodes],
    values: new Map(graph.values),
    initializers,
  };
}

function describe(graph: Graph, ckpt: CheckpointSource, label: string, target: Map<string, string>, p: WeightsProblems): string {
  const section = (title: string, lines: string[]): string[] =>
    lines.length === 0
      ? []
      : [
          `${title} (${lines.length}):`,
          ...lines.slice(0, LIST_LIMIT).map((l) => `  ${l}`),
          ...(lines.length > LIST_LIMIT ? [`  ... and ${lines.length - LIST_LIMIT} more`] : []),
        ];
  const mapped = (n: string): string => {
    const to = target.get(n);
    return to !== undefined && to !== n ? `'${n}' (as '${to}')` : `'${n}'`;
  };
  const counts = [
    [p.missing.length, 'missing'],
    [p.extra.length, 'unexpected'],
    [p.misshaped.length, 'with the wrong shape'],
    [p.other.length, 'other'],
  ].filter(([n]) => n !== 0);
  return [
    `${label} does not match graph '${graph.name}': ${counts.map(([n, what]) => `${n} ${what}`).join(', ')}`,
    ...section(
      'missing from the file (in the graph, not in the file; shapes in checkpoint layout)',
      p.missing.map((n) => `'${n}' ${shapeString(checkpointShape(graph.initializers.get(n)!))}`),
    ),
    ...section(
      'unexpected in the file (no param/buffer of the graph has this name)',
      p.extra.map((n) => `${mapped(n)} ${shapeString(ckpt.tensors.get(n)!.shape)}`),
    ),
    ...section(
      'wrong shape (file shape vs expected shape in checkpoint layout)',
      p.misshaped.map((m) => `${mapped(m.name)}: file ${shapeString(m.fileShape)}, expected ${shapeString(m.expected)}`),
    ),
    ...section('other problems', p.other),
  ].join('\n');
}

/**
 * The graph's param/buffer initializers in graph order, materialised with the graph seed and in checkpoint layout
 * (so `loadCheckpoint(graph, { tensors })` of the result round-trips). Untransposed data may be shared with the graph.
 */
export function exportCheckpoint(graph: Graph): CheckpointEntry[] {
  const out: CheckpointEntry[] = [];
  for (const init of graph.initializers.values()) {
    if (!isLoaded(init)) continue;
    const data = materialize(init, graph.seed);
    if (!(data instanceof Float32Array))
      throw new MvbenchError('INVALID_GRAPH', `initializer '${init.name}' is ${init.dtype}; checkpoints hold float32 only`, false);
    if (data.length !== numel(init.dims))
      throw new MvbenchError('INVALID_GRAPH', `initializer '${init.name}' has ${data.length} values for shape ${shapeString(init.dims)}`, false);
    const shape = checkpointShape(init);
    out.push({ name: init.name, shape, data: init.checkpointTransposed ? transpose(data, init.dims[0], init.dims[1]) : data });
  }
  return out;
}
