/**
 * Each family's reference evaluation preprocessing, as table rows, and the one pixel path every dataset uses:
 *
 *   decode (sharp: 3-channel sRGB, alpha dropped, grey expanded, no EXIF rotation, embedded ICC ignored)
 *     -> resize the shorter side to `resize` (torchvision Resize(int): long side = int(resize * long / short))
 *     -> CenterCrop(crop) (torchvision: top = round((h - crop) / 2), Python's round, half to even)
 *     -> x / 255 -> (x - mean) / std, float32 at each step as torch computes it -> CHW [3, crop, crop]
 *
 * PIL and torchvision neither rotate by EXIF orientation nor apply ICC profiles, hence the decode options.
 */
import { existsSync, statSync } from 'node:fs';
import sharp from 'sharp';
import { msg } from './messages.ts';
import { pilResize } from './pil-resample.ts';

export type Interpolation = 'bicubic' | 'bilinear';
export type Rgb = readonly [number, number, number];

export interface Preprocessing {
  /** shorter side after resizing, in pixels */
  resize: number;
  /** side of the square centre crop fed to the model */
  crop: number;
  interpolation: Interpolation;
  mean: Rgb;
  std: Rgb;
  /** where the recipe comes from */
  source: string;
}

interface Recipe {
  /** the reference's resize rule for an input resolution */
  resize: (resolution: number) => number;
  interpolation: Interpolation;
  mean: Rgb;
  std: Rgb;
  source: string;
}

const IMAGENET_MEAN: Rgb = [0.485, 0.456, 0.406];
const IMAGENET_STD: Rgb = [0.229, 0.224, 0.225];
const UNIT_MEAN: Rgb = [0, 0, 0];
const UNIT_STD: Rgb = [1, 1, 1];

/** timm/data/transforms_factory.py transforms_imagenet_eval: scale_size = math.floor(img_size / crop_pct) */
const timmResize = (cropPct: number) => (resolution: number) => Math.floor(resolution / cropPct);

const TIMM_EVAL = 'timm/data/transforms_factory.py transforms_imagenet_eval';

/** keyed by family; a model id resolves to its family unless it has a row of its own */
const RECIPES: Record<string, Recipe> = {
  mobilevit: {
    resize: timmResize(0.9),
    interpolation: 'bicubic',
    mean: UNIT_MEAN,
    std: UNIT_STD,
    source: `timm/models/mobilevit.py _cfg (crop_pct 0.9, bicubic, mean 0 / std 1); ${TIMM_EVAL}`,
  },
  mobilevitv2: {
    resize: timmResize(0.888),
    interpolation: 'bicubic',
    mean: UNIT_MEAN,
    std: UNIT_STD,
    source: `timm/models/mobilevit.py default_cfgs mobilevitv2_* (crop_pct 0.888, bicubic, mean 0 / std 1); ${TIMM_EVAL}`,
  },
  swiftformer: {
    // int((256 / 224) * input_size); inputs of 32 px or less are neither resized nor cropped
    resize: (resolution) => (resolution > 32 ? Math.trunc((256 / 224) * resolution) : resolution),
    interpolation: 'bicubic',
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    source:
      'Amshaker/SwiftFormer util/datasets.py build_transform (Resize(int(256 / 224 * size), interpolation=3 [bicubic]), ' +
      'CenterCrop(size), Normalize(IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD))',
  },
  mobilenetv2: {
    resize: timmResize(0.875),
    interpolation: 'bicubic',
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    source:
      'timm/models/efficientnet.py _cfg, used unchanged by mobilenetv2_050.lamb_in1k, mobilenetv2_100.ra_in1k and ' +
      `mobilenetv2_140.ra_in1k (crop_pct 0.875, bicubic, IMAGENET_DEFAULT_MEAN/STD); ${TIMM_EVAL}`,
  },
};

export const preprocessingFamilies = (): string[] => Object.keys(RECIPES);

/** the reference evaluation preprocessing of a model family ('mobilevitv2': a spec's `family.name`) at a resolution */
export function preprocessingFor(family: string, resolution: number): Preprocessing {
  if (!Number.isInteger(resolution) || resolution < 1) throw msg.badArgument(`resolution must be a positive integer, got ${resolution}`);
  const r = RECIPES[family];
  if (!r) throw msg.badArgument(`no reference preprocessing for family '${family}'; known families: ${preprocessingFamilies().join(', ')}`);
  return { resize: r.resize(resolution), crop: resolution, interpolation: r.interpolation, mean: r.mean, std: r.std, source: r.source };
}

export interface Geometry {
  /** size after the shorter-side resize */
  width: number;
  height: number;
  /** top-left corner of the centre crop in the resized image */
  left: number;
  top: number;
}

/** Python's round(): halves go to the even neighbour */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/** torchvision Resize(int) then CenterCrop, for an image of width x height */
export function geometry(width: number, height: number, prep: Preprocessing): Geometry {
  if (prep.crop > prep.resize) throw msg.badArgument(`crop ${prep.crop} is larger than the resized shorter side ${prep.resize}`);
  const short = Math.min(width, height);
  const long = Math.trunc((prep.resize * Math.max(width, height)) / short);
  const [w, h] = short === width ? [prep.resize, long] : [long, prep.resize];
  return { width: w, height: h, left: roundHalfEven((w - prep.crop) / 2), top: roundHalfEven((h - prep.crop) / 2) };
}

/**
 * Shrinking runs in libvips (sharp), off the main thread, with the kernel matching PIL's filter: `cubic` is the same
 * Catmull-Rom cubic (a = -0.5) as PIL's BICUBIC and both widen it by the shrink factor, but the results are not
 * bit-identical: PIL evaluates the kernel at each output pixel's exact centre with 22-bit fixed-point weights,
 * libvips quantises positions and weights more coarsely (and box-shrinks first for large factors). Measured against
 * Pillow 12.3 at ImageNet-like shrinks (500x375 -> 341x256): 0.25-0.4 grey levels mean absolute difference, no bias,
 * at most 2 levels on smooth content and 9 on per-pixel noise.
 * Enlarging (CIFAR 32 -> 284, small images) does not use libvips: its upsizing ignores the kernel and samples input
 * x at x_out / scale - 0.5 instead of PIL's (x_out + 0.5) / scale - 0.5, half an output pixel off (3-7 levels mean
 * absolute difference for 32 -> 284). It runs through a transcription of PIL's resampler (pil-resample.ts,
 * bit-identical, about as fast as libvips at these sizes).
 */
const KERNEL = { bicubic: 'cubic', bilinear: 'linear' } as const;

async function resize(rgb: Uint8Array, width: number, height: number, g: Geometry, filter: Interpolation): Promise<Uint8Array> {
  if (g.width === width && g.height === height) return rgb;
  if (g.width > width || g.height > height) return pilResize(rgb, width, height, g.width, g.height, filter);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(g.width, g.height, { fit: 'fill', kernel: KERNEL[filter] })
    .raw()
    .toBuffer();
}

/** per channel, value v -> ((v / 255) - mean) / std, each step rounded to float32 as torch does */
function lookupTables(prep: Preprocessing): Float32Array[] {
  return [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    const mean = Math.fround(prep.mean[c]);
    const std = Math.fround(prep.std[c]);
    for (let v = 0; v < 256; v++) t[v] = Math.fround(Math.fround(Math.fround(v / 255) - mean) / std);
    return t;
  });
}

/** Raw 8-bit RGB pixels (HWC, row-major) through the same resize, crop and normalisation as decoded files. */
export async function fromPixels(rgb: Uint8Array, width: number, height: number, prep: Preprocessing): Promise<Float32Array> {
  if (rgb.length !== width * height * 3) throw msg.badArgument(`expected ${width}x${height}x3 = ${width * height * 3} bytes, got ${rgb.length}`);
  const g = geometry(width, height, prep);
  const pixels = await resize(rgb, width, height, g, prep.interpolation);
  const { crop } = prep;
  const tables = lookupTables(prep);
  const out = new Float32Array(3 * crop * crop);
  for (let c = 0; c < 3; c++) {
    const t = tables[c];
    const plane = c * crop * crop;
    for (let y = 0; y < crop; y++) {
      const row = ((y + g.top) * g.width + g.left) * 3 + c;
      for (let x = 0; x < crop; x++) out[plane + y * crop + x] = t[pixels[row + x * 3]];
    }
  }
  return out;
}

export interface DecodedImage {
  /** HWC, 3 channels, 8 bits */
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** Decodes a JPEG, PNG or WebP (file path or bytes) to 8-bit sRGB like PIL's Image.open(f).convert('RGB'). */
export async function decodeImage(file: string | Uint8Array): Promise<DecodedImage> {
  const name = typeof file === 'string' ? file : `<${file.length} bytes>`;
  try {
    const { data, info } = await sharp(file, { autoOrient: false, ignoreIcc: true, failOn: 'error' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { rgb: data, width: info.width, height: info.height };
  } catch (e) {
    if (typeof file === 'string' && !existsSync(file)) throw msg.missing('image', file);
    if (typeof file === 'string' && statSync(file).isDirectory()) throw msg.wrongKind('image', file, 'a file');
    throw msg.undecodable(name, e instanceof Error ? e.message : String(e));
  }
}

/** CHW [3, crop, crop] float32 of an image file, preprocessed as `prep` says. */
export async function loadImage(file: string | Uint8Array, prep: Preprocessing): Promise<Float32Array> {
  const { rgb, width, height } = await decodeImage(file);
  return fromPixels(rgb, width, height, prep);
}
