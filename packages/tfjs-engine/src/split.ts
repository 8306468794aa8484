/**
 * Split without tfjs-backend-wasm's per-piece copy of the whole input. Its Slice kernel reads the input through
 * readSync, a copy of the entire tensor, once per piece: splitting MobileViT's [16, 256, 256] attention maps into
 * 16 matrices copied 16 MB per map (~45 ms). This kernel copies each element once, straight from the wasm heap,
 * written the way tfjs-backend-wasm's own Concat kernel is.
 */
import type { KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { TF } from './kernel.ts';

const NAME = 'MvbenchSplit';

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const splitOnHeap: KernelFunc = ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const { sizes, axis } = attrs as unknown as { sizes: number[]; axis: number };
  const heap = backend as unknown as HeapBackend;
  const outer = size(x.shape.slice(0, axis)), inner = size(x.shape.slice(axis + 1)), dim = x.shape[axis];
  const outs = sizes.map((s) => heap.makeOutput(x.shape.map((d, i) => (i === axis ? s : d)), x.dtype));
  const xs = heap.typedArrayFromHeap(x); // only after every allocation: growing the heap detaches older views
  let at = 0;
  sizes.forEach((s, k) => {
    const out = heap.typedArrayFromHeap(outs[k]);
    const n = s * inner;
    for (let i = 0; i < outer; i++) out.set(xs.subarray((i * dim + at) * inner, (i * dim + at) * inner + n), i * n);
    at += s;
  });
  return outs;
};

/** tf.split(x, sizes, axis), copying once on the wasm backend */
export function split(tf: TF, x: Tensor, sizes: number[], axis: number): Tensor[] {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return tf.split(x, sizes, axis);
  if (!tf.getKernel(NAME, 'wasm')) tf.registerKernel({ kernelName: NAME, backendName: 'wasm', kernelFunc: splitOnHeap });
  return tf.engine().runKernel(NAME, { x }, { sizes, axis } as never) as unknown as Tensor[];
}
