/**
 * PIL's Image.resize (libImaging/Resample.c, 8 bits per channel) transcribed: a separable convolution, the horizontal
 * pass first, each output pixel centred at (x + 0.5) * scale, the filter widened by the shrink factor, weights
 * normalised then rounded to 22-bit fixed point. Bit-identical to Pillow 12.3 on the cases in preprocess.test.ts.
 * Used for enlarging, where libvips is not an option (see KERNEL in preprocess.ts).
 */
const FILTERS = {
  bicubic: {
    support: 2,
    // Keys' cubic convolution with a = -0.5, as PIL has it
    weight: (x: number): number => {
      const a = -0.5;
      x = Math.abs(x);
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
  bilinear: { support: 1, weight: (x: number): number => Math.max(0, 1 - Math.abs(x)) },
};

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;

interface Coefficients {
  /** first input pixel of each output pixel */
  start: Int32Array;
  count: Int32Array;
  /** fixed-point weights, `taps` per output pixel */
  weights: Int32Array;
  taps: number;
}

function coefficients(inSize: number, outSize: number, filter: keyof typeof FILTERS): Coefficients {
  const { support: base, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = base * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const c: Coefficients = { start: new Int32Array(outSize), count: new Int32Array(outSize), weights: new Int32Array(outSize * taps), taps };
  const w = new Float64Array(taps);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.trunc(centre - support + 0.5));
    const n = Math.min(inSize, Math.trunc(centre + support + 0.5)) - lo;
    let total = 0;
    for (let i = 0; i < n; i++) total += w[i] = weight((i + lo - centre + 0.5) / filterScale);
    for (let i = 0; i < n; i++) {
      const v = total !== 0 ? w[i] / total : w[i];
      c.weights[o * taps + i] = Math.trunc(v < 0 ? v * ONE - 0.5 : v * ONE + 0.5);
    }
    c.start[o] = lo;
    c.count[o] = n;
  }
  return c;
}

const clip8 = (acc: number): number => {
  const v = Math.floor(acc / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
};

/** one axis: rows when `horizontal` (pixel i of line at line * size + i), else columns (at i * across + line) */
function pass(src: Uint8Array, inSize: number, outSize: number, across: number, horizontal: boolean, c: Coefficients): Uint8Array {
  const out = new Uint8Array(outSize * across * 3);
  for (let line = 0; line < across; line++)
    for (let o = 0; o < outSize; o++) {
      const k = o * c.taps;
      let r = ONE / 2, g = ONE / 2, b = ONE / 2;
      for (let i = 0; i < c.count[o]; i++) {
        const p = (horizontal ? line * inSize + c.start[o] + i : (c.start[o] + i) * across + line) * 3;
        const w = c.weights[k + i];
        r += src[p] * w;
        g += src[p + 1] * w;
        b += src[p + 2] * w;
      }
      const q = (horizontal ? line * outSize + o : o * across + line) * 3;
      out[q] = clip8(r);
      out[q + 1] = clip8(g);
      out[q + 2] = clip8(b);
    }
  return out;
}

/** HWC RGB `width` x `height` -> `outWidth` x `outHeight`, as PIL's Image.resize((outWidth, outHeight), filter) */
export function pilResize(
  rgb: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: keyof typeof FILTERS,
): Uint8Array {
  let out = rgb;
  if (outWidth !== width) out = pass(out, width, outWidth, height, true, coefficients(width, outWidth, filter));
  if (outHeight !== height) out = pass(out, height, outHeight, outWidth, false, coefficients(height, outHeight, filter));
  return out;
}
