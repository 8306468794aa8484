/**
 * A procedurally generated dataset, so training runs offline: one object per image, either a shape (disc, ring,
 * square, triangle, cross; rotated) or a textured patch (horizontal, vertical or diagonal stripes, checkerboard,
 * dots) at a random position and scale, on a background with a colour gradient and per-pixel noise. Foreground and
 * background colours are drawn independently of the class (only their contrast is bounded), so colour says nothing.
 *
 * Item i has label i % classes (balanced) and its own generator, seeded by a bijective hash of (seed, split, i):
 * no two items, within or across splits, share a generator. An item is rendered directly at the shorter side the
 * preprocessing asks for (scene coordinates are in [0, 1]), so it is never resampled, only centre-cropped.
 */
import { mulberry32 } from '@mvbench/core';
import type { Dataset } from './dataset.ts';
import { count } from './files.ts';
import { msg } from './messages.ts';
import { fromPixels } from './preprocess.ts';

/** in this order, so that a few classes are already varied */
export const SYNTHETIC_CLASSES = [
  'disc',
  'square',
  'horizontal-stripes',
  'checkerboard',
  'ring',
  'triangle',
  'vertical-stripes',
  'dots',
  'cross',
  'diagonal-stripes',
] as const;
type Kind = (typeof SYNTHETIC_CLASSES)[number];

export interface SyntheticOptions {
  split?: 'train' | 'test';
  /** 2..10 (default 10): the first `classes` of SYNTHETIC_CLASSES */
  classes?: number;
  /** images in the split (default 10,000 for train, 2,000 for test) */
  size?: number;
  seed?: number;
}

/** murmur3's finaliser, a bijection on 32-bit integers */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

interface Scene {
  kind: Kind;
  cx: number;
  cy: number;
  r: number;
  cos: number;
  sin: number;
  /** ring thickness as a fraction of r */
  ring: number;
  period: number;
  phaseX: number;
  phaseY: number;
  /** +1 or -1: which diagonal */
  diagonal: number;
  fg: number[];
  bg: number[];
  gradient: [number, number];
  noise: number;
}

const luma = (c: number[]): number => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];

function scene(kind: Kind, rand: () => number): Scene {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const bg = [rand(), rand(), rand()];
  let fg = [rand(), rand(), rand()];
  for (let tries = 0; Math.abs(luma(fg) - luma(bg)) < 0.25 && tries < 20; tries++) fg = [rand(), rand(), rand()];
  if (Math.abs(luma(fg) - luma(bg)) < 0.25) fg = bg.map((v) => 1 - v);
  const r = between(0.18, 0.36);
  const texture = kind.endsWith('stripes') || kind === 'checkerboard' || kind === 'dots';
  // shapes turn freely; textures keep their orientation (it is the class) up to a small jitter
  const angle = texture ? between(-0.15, 0.15) : between(0, 2 * Math.PI);
  return {
    kind,
    cx: between(r, 1 - r),
    cy: between(r, 1 - r),
    r,
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    ring: between(0.3, 0.5),
    period: between(0.08, 0.14),
    phaseX: rand(),
    phaseY: rand(),
    diagonal: rand() < 0.5 ? 1 : -1,
    fg,
    bg,
    gradient: [between(-0.15, 0.15), between(-0.15, 0.15)],
    noise: between(0.03, 0.12),
  };
}

/** outward normals of an equilateral triangle's edges, 120 degrees apart */
const TRIANGLE = [0, 1, 2].map((k) => [Math.cos(Math.PI / 2 + (k * 2 * Math.PI) / 3), Math.sin(Math.PI / 2 + (k * 2 * Math.PI) / 3)]);

const even = (x: number): boolean => (Math.floor(x) & 1) === 0;

/** is the point (x, y), in the object's rotated frame, inside the object? */
function inside(s: Scene, x: number, y: number): boolean {
  const { r, period: p } = s;
  const d2 = x * x + y * y;
  switch (s.kind) {
    case 'disc':
      return d2 < r * r;
    case 'ring':
      return d2 < r * r && d2 > (r * (1 - s.ring)) ** 2;
    case 'square':
      return Math.abs(x) < 0.8 * r && Math.abs(y) < 0.8 * r;
    case 'triangle':
      // inradius r / 2
      return TRIANGLE.every(([nx, ny]) => x * nx + y * ny < r / 2);
    case 'cross': {
      const w = 0.28 * r;
      return (Math.abs(x) < r && Math.abs(y) < w) || (Math.abs(y) < r && Math.abs(x) < w);
    }
  }
  if (Math.abs(x) >= r || Math.abs(y) >= r) return false;
  switch (s.kind) {
    case 'horizontal-stripes':
      return even(y / p + s.phaseY);
    case 'vertical-stripes':
      return even(x / p + s.phaseX);
    case 'diagonal-stripes':
      return even((x + s.diagonal * y) / (Math.SQRT2 * p) + s.phaseX);
    case 'checkerboard':
      return even(x / p + s.phaseX) === even(y / p + s.phaseY);
    case 'dots': {
      const fx = x / p + s.phaseX - Math.floor(x / p + s.phaseX) - 0.5;
      const fy = y / p + s.phaseY - Math.floor(y / p + s.phaseY) - 0.5;
      return fx * fx + fy * fy < 0.09;
    }
  }
}

/** HWC RGB, side x side */
function render(s: Scene, side: number, rand: () => number): Uint8Array {
  const rgb = new Uint8Array(side * side * 3);
  for (let py = 0; py < side; py++)
    for (let px = 0; px < side; px++) {
      const u = (px + 0.5) / side;
      const v = (py + 0.5) / side;
      const dx = u - s.cx;
      const dy = v - s.cy;
      const hit = inside(s, dx * s.cos + dy * s.sin, dy * s.cos - dx * s.sin);
      const shade = hit ? 0 : s.gradient[0] * (u - 0.5) + s.gradient[1] * (v - 0.5);
      for (let c = 0; c < 3; c++) {
        const value = (hit ? s.fg[c] : s.bg[c]) + shade + s.noise * (2 * rand() - 1);
        rgb[(py * side + px) * 3 + c] = Math.round(255 * Math.min(1, Math.max(0, value)));
      }
    }
  return rgb;
}

export function openSynthetic(opts: SyntheticOptions = {}): Dataset {
  const split = opts.split ?? 'test';
  const k = opts.classes ?? 10;
  const size = opts.size ?? (split === 'train' ? 10_000 : 2_000);
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(k) || k < 2 || k > SYNTHETIC_CLASSES.length)
    throw msg.badArgument(`synthetic classes must be an integer in 2..${SYNTHETIC_CLASSES.length}, got ${k}`);
  if (!Number.isInteger(size) || size < 1 || size >= 2 ** 31) throw msg.badArgument(`synthetic size must be a positive integer, got ${size}`);
  if (!Number.isInteger(seed)) throw msg.badArgument(`synthetic seed must be an integer, got ${seed}`);
  const base = fmix32(seed >>> 0);
  const classes = SYNTHETIC_CLASSES.slice(0, k);
  return {
    kind: 'synthetic',
    description: `synthetic shapes ${split} (${count(size)} images, ${k} classes, seed ${seed})`,
    classes: [...classes],
    classesComplete: true,
    size,
    item: (i) => ({
      id: `synthetic/${split}/${i}`,
      label: i % k,
      load: (prep) => {
        // the split is the top bit, so (split, i) -> key is one-to-one, and so is key -> generator seed
        const rand = mulberry32(fmix32((split === 'test' ? 0x80000000 : 0) | i) ^ base);
        const side = prep.resize;
        return fromPixels(render(scene(classes[i % k], rand), side, rand), side, side, prep);
      },
    }),
    skipped: [],
  };
}
