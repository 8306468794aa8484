/** Test helpers: random-weight models whose every fold matters. */
import { mulberry32 } from '@mvbench/core';
import { type Graph, type Initializer } from '@mvbench/ir';

/**
 * The reference recipe's perturbation (reference/README.md) of every tensor the seeded initialisation fills with a
 * constant: norm weights 1 + 0.2 n, biases and running means 0.1 n, running_var 0.75 + 0.5 u, layer scales 0.5 + 0.1 n.
 */
export function perturbed(graph: Graph, seed = 1): Graph {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const initializers = new Map<string, Initializer>();
  for (const [name, init] of graph.initializers) {
    if (init.role === 'const' || init.init.kind !== 'fill') {
      initializers.set(name, init);
      continue;
    }
    const n = init.dims.reduce((a, b) => a * b, 1);
    const value = name.endsWith('running_var') ? () => 0.75 + 0.5 * rand()
      : name.includes('layer_scale') ? () => 0.5 + 0.1 * normal()
      : init.init.value === 0 ? () => 0.1 * normal() : () => 1 + 0.2 * normal();
    initializers.set(name, { ...init, init: { kind: 'data', data: Float32Array.from({ length: n }, value) } });
  }
  return { ...graph, initializers };
}
