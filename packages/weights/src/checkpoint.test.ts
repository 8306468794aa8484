import { describe, expect, it } from 'vitest';
import { MvbenchError } from '@mvbench/core';
import { materialize, type Graph, type Initializer } from '@mvbench/ir';
import { exportCheckpoint, loadCheckpoint, WeightsMismatchError, type CheckpointTensor } from './checkpoint.ts';
import { readSafetensors, writeSafetensors } from './safetensors.ts';

function makeGraph(extra: Initializer[] = []): Graph {
  const inits: Initializer[] = [
    { name: 'conv.weight', dtype: 'float32', dims: [4, 3, 1, 1], role: 'param', init: { kind: 'trunc_normal', std: 0.02 } },
    { name: 'fc.weight', dtype: 'float32', dims: [3, 5], role: 'param', init: { kind: 'normal', std: 1 }, checkpointTransposed: true },
    { name: 'fc.bias', dtype: 'float32', dims: [5], role: 'param', init: { kind: 'fill', value: 0.5 } },
    { name: 'bn.running_mean', dtype: 'float32', dims: [4], role: 'buffer', init: { kind: 'uniform', low: -1, high: 1 } },
    { name: 'shape', dtype: 'int64', dims: [2], role: 'const', init: { kind: 'data', data: BigInt64Array.from([1n, -1n]) } },
    ...extra,
  ];
  return {
    name: 'tiny',
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 5] }],
    nodes: [{ op: 'MatMul', name: 'fc/MatMul', inputs: ['x', 'fc.weight'], outputs: ['y'], attrs: {} }],
    initializers: new Map(inits.map((i) => [i.name, i])),
    values: new Map(),
    seed: 7,
  };
}

const tensorMap = (entries: Array<[string, number[]]>): Map<string, CheckpointTensor> =>
  new Map(entries.map(([name, shape]) => [name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }]));

function mismatchOf(fn: () => unknown): WeightsMismatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WeightsMismatchError) return e;
    throw e;
  }
  throw new Error('expected a WeightsMismatchError');
}

describe('exportCheckpoint', () => {
  it('exports params and buffers in graph order, in checkpoint layout', () => {
    const graph = makeGraph();
    const ckpt = exportCheckpoint(graph);
    expect(ckpt.map((t) => [t.name, t.shape])).toEqual([
      ['conv.weight', [4, 3, 1, 1]],
      ['fc.weight', [5, 3]],
      ['fc.bias', [5]],
      ['bn.running_mean', [4]],
    ]);
    const fc = materialize(graph.initializers.get('fc.weight')!, graph.seed) as Float32Array;
    const exported = ckpt[1].data;
    for (let i = 0; i < 3; i++) for (let o = 0; o < 5; o++) expect(exported[o * 3 + i]).toBe(fc[i * 5 + o]);
  });

  it('rejects checkpointTransposed on a tensor that is not 2-D', () => {
    const bad: Initializer = { name: 'w', dtype: 'float32', dims: [2, 2, 2], role: 'param', init: { kind: 'fill', value: 0 }, checkpointTransposed: true };
    expect(() => exportCheckpoint(makeGraph([bad]))).toThrow(/'w' is checkpointTransposed but has shape \[2, 2, 2\]/);
  });
});

describe('loadCheckpoint', () => {
  it('round-trips export → write → read → load without touching the input graph', () => {
    const graph = makeGraph();
    const expected = new Map([...graph.initializers].map(([n, i]) => [n, materialize(i, graph.seed)]));
    const file = readSafetensors(writeSafetensors(exportCheckpoint(graph)), 'tiny.safetensors');
    const loaded = loadCheckpoint(graph, file, { file: 'tiny.safetensors' });

    expect([...loaded.initializers.keys()]).toEqual([...graph.initializers.keys()]);
    for (const [name, init] of loaded.initializers) {
      expect(init.init.kind).toBe('data');
      expect(init.init.kind === 'data' && init.init.data).toEqual(expected.get(name));
    }
    expect(loaded.initializers.get('shape')).toBe(graph.initializers.get('shape'));
    expect(graph.initializers.get('fc.weight')!.init.kind).toBe('normal');
  });

  it('maps checkpoint names', () => {
    const graph = makeGraph();
    const tensors = new Map(exportCheckpoint(graph).map((t) => [`model.${t.name}`, t]));
    const loaded = loadCheckpoint(graph, { tensors }, { nameMap: (n) => n.replace(/^model\./, '') });
    expect(loaded.initializers.get('fc.bias')!.init).toEqual({ kind: 'data', data: new Float32Array(5).fill(0.5) });
  });

  it('reports every missing, extra and mis-shaped tensor in one error, loading nothing', () => {
    const graph = makeGraph();
    const before = [...graph.initializers.values()].map((i) => i.init);
    const file = {
      tensors: tensorMap([
        ['conv.weight', [4, 3]],
        ['fc.weight', [3, 5]],
        ['head.weight', [10, 5]],
        ['shape', [2]],
      ]),
    };
    const e = mismatchOf(() => loadCheckpoint(graph, file, { file: 'w.safetensors' }));
    expect(e).toBeInstanceOf(MvbenchError);
    expect(e.code).toBe('WEIGHTS_MISMATCH');
    expect(e.problems).toEqual({
      missing: ['fc.bias', 'bn.running_mean'],
      extra: ['head.weight', 'shape'],
      misshaped: [
        { name: 'conv.weight', fileShape: [4, 3], expected: [4, 3, 1, 1] },
        { name: 'fc.weight', fileShape: [3, 5], expected: [5, 3] },
      ],
      other: [],
    });
    const msg = e.message;
    expect(msg).toContain("weights file 'w.safetensors' does not match graph 'tiny': 2 missing, 2 unexpected, 2 with the wrong shape");
    expect(msg).toContain("'fc.bias' [5]");
    expect(msg).toContain("'bn.running_mean' [4]");
    expect(msg).toContain("'head.weight' [10, 5]");
    expect(msg).toContain("'shape' [2]");
    expect(msg).toContain("'conv.weight': file [4, 3], expected [4, 3, 1, 1]");
    expect(msg).toContain("'fc.weight': file [3, 5], expected [5, 3]");
    expect([...graph.initializers.values()].map((i) => i.init)).toEqual(before);
  });

  it('caps long listings but keeps exact counts', () => {
    const many: Initializer[] = Array.from({ length: 30 }, (_, i) => ({
      name: `p${i}`,
      dtype: 'float32',
      dims: [1],
      role: 'param',
      init: { kind: 'fill', value: 0 },
    }));
    const graph = makeGraph(many);
    const tensors = new Map(exportCheckpoint(makeGraph()).map((t) => [t.name, t]));
    const e = mismatchOf(() => loadCheckpoint(graph, { tensors }));
    expect(e.problems.missing).toHaveLength(30);
    expect(e.message).toMatch(/^checkpoint does not match graph 'tiny': 30 missing\n/);
    expect(e.message).toContain("'p19' [1]");
    expect(e.message).not.toContain("'p20'");
    expect(e.message).toContain('... and 10 more');
  });

  it('reports two checkpoint tensors mapped onto one initializer', () => {
    const graph = makeGraph();
    const tensors = new Map(exportCheckpoint(graph).map((t) => [t.name, t]));
    tensors.set('old.fc.bias', tensors.get('fc.bias')!);
    const e = mismatchOf(() => loadCheckpoint(graph, { tensors }, { nameMap: (n) => n.replace(/^old\./, '') }));
    expect(e.problems.other).toEqual(["'fc.bias' is the target of 'fc.bias', 'old.fc.bias'"]);
    expect(e.problems.extra).toEqual([]);
  });
});
