/**
 * The report, in phases:
 *
 *   ResultRow[] --figureContext--> Datum[]: measured cells, runner settings, accuracy axes, Pareto flags
 *               --FIGURES--------> per figure, a vega-lite spec or a note saying why there is nothing to draw
 *               --buildReport----> one offline HTML: header, figures (vega-embed, inlined), sortable table
 *               --renderFigureFiles--> <dir>/<figure>.svg and .png (vega in Node, resvg)
 */
export { buildReport, reportFigures, type ReportMeta } from './html.ts';
export { renderFigureFiles, type FigureFiles } from './render.ts';
export { figureContext, accuracyAxis, type Datum, type FigureContext } from './data.ts';
export { FIGURES, type Figure } from './figures/index.ts';
export { buildHistoryReport, historyFigure } from './history.ts';
