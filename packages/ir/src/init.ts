/**
 * Deterministic initialisation: each initializer without data gets values from a generator seeded by the
 * graph seed and its own name, so a tensor's values do not depend on what else the graph contains.
 */
import { mulberry32 } from '@mvbench/core';
import { numel, type Graph, type Initializer, type TensorData } from './graph.ts';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function uniformSource(seed: number, name: string): () => number {
  const rng = mulberry32((seed ^ fnv1a(name)) >>> 0);
  // shifted by half a step into (0, 1): never exactly 0, so log() below is finite
  return () => rng() + 1 / 8589934592;
}

/** Box-Muller, using both values of each pair */
function gaussian(next: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(next())), t = 2 * Math.PI * next();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

export function materialize(init: Initializer, seed: number): TensorData {
  const n = numel(init.dims);
  const spec = init.init;
  if (spec.kind === 'data') return spec.data;
  if (init.dtype === 'int64') throw new Error(`int64 initializer '${init.name}' needs data`);
  const out = new Float32Array(n);
  if (spec.kind === 'fill') return out.fill(spec.value);
  const u = uniformSource(seed, init.name);
  if (spec.kind === 'uniform') {
    for (let i = 0; i < n; i++) out[i] = spec.low + (spec.high - spec.low) * u();
    return out;
  }
  const g = gaussian(u);
  if (spec.kind === 'normal') {
    for (let i = 0; i < n; i++) out[i] = (spec.mean ?? 0) + spec.std * g();
    return out;
  }
  for (let i = 0; i < n; i++) {
    let v = g();
    while (Math.abs(v) > 2) v = g();
    out[i] = spec.std * v;
  }
  return out;
}

/** replaces every generated initializer by its data (in place) and returns the graph */
export function materializeAll(graph: Graph): Graph {
  for (const init of graph.initializers.values())
    if (init.init.kind !== 'data') init.init = { kind: 'data', data: materialize(init, graph.seed) };
  return graph;
}
