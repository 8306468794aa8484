/**
 * One self-contained HTML report: header (plan, cells, failures, machines), figures rendered in the page by
 * vega-embed, and the sortable table. vega, vega-lite and vega-embed are inlined from node_modules and a
 * Content-Security-Policy forbids every network load, so the file works from file:// offline.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { latestPerCell, type ResultRow } from '@mvbench/results';
import { CALIBRATION_THRESHOLD, calibrationsOf, mixedMachines } from '@mvbench/results';
import { evaluateClaims, tokenScaling } from '@mvbench/claims';
import { claimsSection } from './claims-section.ts';
import { figureContext, isMeasured } from './data.ts';
import { figures, type Figure } from './figures/index.ts';
import { scalingFigure } from './figures/scaling.ts';
import { searchFigures, searchTable } from './figures/search.ts';
import { machineCaption, machines, type Machine } from './machines.ts';
import { msg } from './messages.ts';
import { STYLE } from './style.ts';
import { SORT_SCRIPT, esc, tableHtml } from './table.ts';

export interface ReportMeta {
  title: string;
  plan: string;
  /** ISO timestamp */
  generatedAt: string;
  notes?: string[];
}

const require = createRequire(import.meta.url);
const LIBRARIES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let inlined: string | undefined;
/** the three UMD bundles, each package's entry point sits in the same build/ folder */
function libraries(): string {
  inlined ??= LIBRARIES.map(([pkg, file]) => {
    const js = readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
    return `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>`;
  }).join('\n');
  return inlined;
}

/** the figures of a report: the same list the HTML shows and renderFigureFiles writes */
export function reportFigures(all: readonly ResultRow[], meta: ReportMeta): Figure[] {
  const rows = latestPerCell(all); // a retried cell's new row supersedes its old one
  const caption = msg.provenance(meta.plan, machineCaption(machines(rows)), meta.generatedAt.slice(0, 10));
  const ctx = figureContext(rows, caption);
  // a resolution sweep of each attention kind (plan token-scaling) opens the figures, next to the claims it judges
  const scaling = tokenScaling(rows);
  return [...(scaling ? [scalingFigure(ctx, scaling)] : []), ...searchFigures(all, caption), ...figures(ctx)];
}

/** JSON safe inside <script>: no '<' can close the element */
const scriptJson = (x: unknown) => JSON.stringify(x).replace(/</g, '\\u003c');

const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

function header(rows: readonly ResultRow[], meta: ReportMeta, ms: Machine[]): string {
  const failed = rows.filter((r) => r.error !== null);
  const codes = [...failed.reduce((m, r) => m.set(r.error!.code, (m.get(r.error!.code) ?? 0) + 1), new Map<string, number>())];
  const machineRows = ms
    .map((m) => {
      const runtime = Object.entries(m.runtime).map(([k, v]) => `${k} ${v}`).join(', ');
      const timer = m.timerResolutionNs === null ? '' : ` · timer ${m.timerResolutionNs} ns`;
      return `<li><strong>${esc(m.summary)}</strong>${esc(timer)} · ${esc(msg.cells(m.cells))}<br>
        calibration: ${esc(m.calibration ?? '—')}<br>
        runtimes: ${esc(runtime || '—')}<br>threads: ${esc(m.threads.join('; '))}</li>`;
    })
    .join('\n');
  return `<header>
  <h1>${esc(meta.title)}</h1>
  <p class="meta">plan <strong>${esc(meta.plan)}</strong> · generated ${esc(meta.generatedAt)} ·
    <span id="summary">${esc(msg.summary(rows.length, rows.filter(isMeasured).length, failed.length))}</span>
    ${failed.length ? `<span class="failures">(${esc(msg.failuresByCode(codes))}; see the table)</span>` : ''}</p>
  ${meta.notes?.length ? `<ul class="notes">${meta.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
  ${calibrationSentences(rows).map((s) => `<p class="failures">${esc(s)}</p>`).join('\n  ')}
  ${ms.length ? `<h2 class="small">Machines, runtimes and threads</h2>\n  <ul class="machines">${machineRows}</ul>` : ''}
</header>`;
}

/** a sentence when the rows mix machines of different speed, and one when some rows carry no calibration */
function calibrationSentences(rows: readonly ResultRow[]): string[] {
  const mixed = mixedMachines(calibrationsOf(rows));
  const without = rows.filter((r) => r.env && !r.env.calibration).length;
  return [
    ...(mixed ? [msg.mixedMachines(mixed.slow.matmulGflops1, mixed.fast.matmulGflops1, mixed.ratio, CALIBRATION_THRESHOLD)] : []),
    ...(without && without < rows.length ? [msg.uncalibrated(without)] : []),
  ];
}

function section(f: Figure): string {
  if ('note' in f) return `<section id="fig-${f.id}" class="figure empty"><h2>${esc(f.title)}</h2><p class="note">${esc(f.note)}</p></section>`;
  return `<section id="fig-${f.id}" class="figure" aria-label="${esc(f.title)}"><div class="vis" id="vis-${f.id}"></div></section>`;
}

const EMBED_SCRIPT = `
const specs = JSON.parse(document.getElementById('mvbench-specs').textContent);
window.mvbench = { views: {}, errors: [], ready: false };
const options = { renderer: 'svg', actions: { export: true, source: true, compiled: true, editor: false } };
Promise.all(Object.entries(specs).map(([id, spec]) => {
  const el = document.getElementById('vis-' + id);
  return vegaEmbed(el, spec, { ...options, downloadFileName: id })
    .then((r) => { window.mvbench.views[id] = r.view; })
    .catch((e) => {
      window.mvbench.errors.push(id + ': ' + e.message);
      el.textContent = ${JSON.stringify(msg.renderFailed)} + e.message;
      el.className = 'note';
    });
})).finally(() => { window.mvbench.ready = true; document.documentElement.dataset.rendered = 'true'; });`;

export function buildReport(all: ResultRow[], meta: ReportMeta): string {
  const rows = latestPerCell(all); // a retried cell's new row supersedes its old one
  const table = `${searchTable(all)}<section id="table"><h2>All cells</h2><p class="help">${esc(msg.tableHelp)}</p><div class="scroll">${tableHtml(rows)}</div></section>`;
  const claims = claimsSection(evaluateClaims(rows));
  const lead = claims ? { link: ['claims', "The papers' claims"] as [string, string], html: claims } : undefined;
  return page(meta.title, header(rows, meta, machines(rows)), reportFigures(all, meta), ['table', 'All cells'], table, lead);
}

/** the page shell every report shares: inlined libraries, CSP, figures rendered by vega-embed, one extra section
 *  after them and optionally one before (the claims) */
export function page(title: string, headerHtml: string, figs: Figure[], extraLink: [string, string], extra: string, lead?: { link: [string, string]; html: string }): string {
  const specs = Object.fromEntries(figs.flatMap((f) => ('spec' in f ? [[f.id, f.spec]] : [])));
  const toc = [...(lead ? [lead.link] : []), ...figs.map((f) => [`fig-${f.id}`, f.title]), extraLink]
    .map(([id, t]) => `<a href="#${id}">${esc(t)}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${headerHtml}
<nav>${toc}</nav>
<main>
${lead?.html ?? ''}
${figs.map(section).join('\n')}
${extra}
</main>
${libraries()}
<script type="application/json" id="mvbench-specs">${scriptJson(specs)}</script>
<script>${SORT_SCRIPT}
${EMBED_SCRIPT}</script>
</body>
</html>
`;
}
