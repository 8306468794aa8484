/**
 * The reference fixtures' input (../shared/reference/README.md, "Input recipe"): a 32-bit LCG over the flat C-order
 * index, state updated before each use, mapped to [-1, 1) in double precision and rounded once to float32.
 */
export function fixtureInput(shape: readonly number[], seed = 12345): Float32Array {
  const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    x[i] = s / 4294967296 * 2 - 1; // the Float32Array store is the single rounding
  }
  return x;
}
