/** The report's figures rendered in Node to SVG (vega, no canvas) and PNG (resvg), for pasting into docs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { userError } from '@mvbench/core';
import { makeDirs, type ResultRow } from '@mvbench/results';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { reportFigures, type ReportMeta } from './html.ts';
import { withArialWidths } from './text-width.ts';

export interface FigureFiles {
  /** paths written: <dir>/<figure>.svg and <dir>/<figure>.png */
  files: string[];
  /** figures without data, with the note the HTML report shows instead */
  skipped: { id: string; note: string }[];
}

function figureSvg(spec: TopLevelSpec): Promise<string> {
  return withArialWidths(async () => {
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  });
}

function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  });
  return resvg.render().asPng();
}

const FIGURE_FORMATS = ['svg', 'png'] as const;

export async function renderFigureFiles(rows: ResultRow[], meta: ReportMeta, dir: string, opts: { scale?: number; formats?: readonly (typeof FIGURE_FORMATS)[number][] } = {}): Promise<FigureFiles> {
  const formats = opts.formats ?? FIGURE_FORMATS;
  const out: FigureFiles = { files: [], skipped: [] };
  try {
    makeDirs(dir);
  } catch (e) {
    throw userError('UNWRITABLE', `cannot write figures to ${dir}: ${(e as Error).message}`);
  }
  for (const f of reportFigures(rows, meta)) {
    if ('note' in f) {
      out.skipped.push({ id: f.id, note: f.note });
      continue;
    }
    const svg = await figureSvg(f.spec);
    for (const format of formats) {
      const path = join(dir, `${f.id}.${format}`);
      writeFileSync(path, format === 'svg' ? svg : svgToPng(svg, opts.scale));
      out.files.push(path);
    }
  }
  return out;
}
