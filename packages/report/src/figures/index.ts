/** The report's figures in reading order; each is a vega-lite spec or a note saying why it is empty. */
import type { FigureContext } from '../data.ts';
import { categoryFigure, scopeFigure } from './breakdown.ts';
import type { Figure } from './common.ts';
import { calibratedFigure } from './calibrated.ts';
import { macsFigure, paramsFigure } from './cost.ts';
import { paretoFigure } from './pareto.ts';
import { predictedFigure } from './predicted.ts';
import { patchFigure } from './patch.ts';
import { rankingFigure } from './ranking.ts';
import { widthFigure } from './width.ts';

export type { Figure } from './common.ts';

export const FIGURES: ((ctx: FigureContext) => Figure)[] = [
  paretoFigure, rankingFigure, macsFigure, calibratedFigure, predictedFigure, paramsFigure, widthFigure, patchFigure, categoryFigure, scopeFigure,
];

export const figures = (ctx: FigureContext): Figure[] => FIGURES.map((f) => f(ctx));
