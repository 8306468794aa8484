/**
 * Hypervolume: the volume dominated by a set of points (all objectives minimised) and bounded by a reference point;
 * larger is better. 2-D by a sweep over the sorted points; 3-D by slicing along the third objective (each slab is a
 * 2-D hypervolume of the points below it), as pymoo's and Optuna's exact small-dimension cases do.
 */

export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < reference[i]));
  if (reference.length === 2) return hv2(inside, reference);
  if (reference.length === 3) return hv3(inside, reference);
  throw new Error(`hypervolume of ${reference.length} objectives: only 2 and 3 are supported`);
}

function hv2(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let volume = 0, lowestY = ref[1];
  for (const [x, y] of sorted)
    if (y < lowestY) {
      volume += (ref[0] - x) * (lowestY - y);
      lowestY = y;
    }
  return volume;
}

function hv3(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[2] - b[2]);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1][2] : ref[2];
    if (top > sorted[i][2]) volume += hv2(sorted.slice(0, i + 1), ref) * (top - sorted[i][2]);
  }
  return volume;
}
