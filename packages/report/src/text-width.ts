/**
 * Text widths for rendering in Node. Without a canvas, vega guesses 0.8 em per character, about 50% too wide for
 * Liberation Sans/Arial, which leaves wide gaps in the exported figures. Arial's advance widths (the font resvg
 * draws with) are close enough; vega accepts a replacement `textMetrics.width` (vl-convert does the same).
 */
import * as vega from 'vega';

/** exported by vega at run time, missing from its typings */
const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } };

/** Arial advance widths in 1/1000 em for ASCII 32..126 */
const ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
  778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,
  556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

function arialWidth(item: TextItem, text: unknown): number {
  const s = text == null ? '' : String(text).trim();
  const size = item.fontSize ?? 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.08 : 1;
  let units = 0;
  for (const ch of s) units += ASCII[ch.charCodeAt(0) - 32] ?? 600;
  const w = (units * size * bold) / 1000;
  // vega truncates to `limit` by searching for the longest prefix whose width is below it
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
}

/** runs `f` with Arial widths in place of vega's estimate */
export async function withArialWidths<T>(f: () => Promise<T>): Promise<T> {
  const saved = textMetrics.width;
  textMetrics.width = arialWidth;
  try {
    return await f();
  } finally {
    textMetrics.width = saved;
  }
}
