/**
 * The report as a user opens it: from file://, in headless Chromium, with every non-file request failed. Every
 * figure must render marks, the console must stay clean, and the table must sort on a header click.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type HeadlessBrowser } from '@mvbench/browser';
import type { Page } from 'puppeteer-core';
import { claimsRows, scalingRows } from '@mvbench/claims/testing';
import { buildReport, reportFigures } from './html.ts';
import { syntheticRows } from './synthetic-rows.ts';
import { META } from './test-util.ts';

const SCREENSHOT = '/tmp/mvbench-report.png';
const rows = syntheticRows();
const tmp = mkdtempSync(join(tmpdir(), 'mvbench-report-'));
let chromium: HeadlessBrowser;
let page: Page;
const offline: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  chromium = await launchBrowser();
  page = await chromium.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (/^(file|data|blob|about):/.test(req.url())) return void req.continue();
    offline.push(req.url());
    void req.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  const file = join(tmp, 'report.html');
  writeFileSync(file, buildReport(rows, META));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction('window.mvbench && window.mvbench.ready === true', { timeout: 15_000 });
});

afterAll(async () => {
  await chromium?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** marks vega drew into each figure's SVG, by mark type */
const MARKS = `Object.fromEntries([...document.querySelectorAll('.vis')].map((el) => [el.id.slice(4), {
  svg: el.querySelectorAll('svg').length,
  symbol: el.querySelectorAll('.mark-symbol path').length,
  rect: el.querySelectorAll('.mark-rect path').length,
  line: el.querySelectorAll('.mark-line path').length,
  rule: el.querySelectorAll('.mark-rule line').length,
}]))`;

const column = (title: string) =>
  page.evaluate(`(() => {
    const i = [...document.querySelectorAll('#rows thead th')].findIndex((th) => th.textContent.trim() === ${JSON.stringify(title)});
    return [...document.querySelectorAll('#rows tbody tr')].map((tr) => tr.cells[i].dataset.v);
  })()`) as Promise<string[]>;

describe('HTML report in headless Chromium, offline', () => {
  it('renders every figure with marks, with a clean console and no network request', async () => {
    expect(await page.evaluate('window.mvbench.errors')).toEqual([]);
    const marks = (await page.evaluate(MARKS)) as Record<string, Record<string, number>>;
    const ids = reportFigures(rows, META).map((f) => f.id);
    expect(Object.keys(marks).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(marks[id].svg, id).toBeGreaterThan(0);
      expect(marks[id].symbol + marks[id].rect + marks[id].line, `${id} has marks`).toBeGreaterThan(0);
    }
    // every published-accuracy cell is one point on the Pareto figure; breakdowns are stacked bars
    const published = rows.filter((r) => r.latency && r.accuracy.kind === 'published').length;
    expect(marks.pareto.symbol).toBe(published);
    expect(marks['breakdown-category'].rect).toBeGreaterThan(10);
    expect(await page.evaluate(`Object.keys(window.mvbench.views).length`)).toBe(ids.length);
    expect(offline).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('offers SVG and PNG export of each figure through the actions menu, offline', async () => {
    const actions = (await page.evaluate(`[...document.querySelectorAll('#vis-pareto .vega-actions a')].map((a) => a.textContent)`)) as string[];
    expect(actions).toEqual(expect.arrayContaining(['Save as SVG', 'Save as PNG']));
    const urls = (await page.evaluate(`Promise.all([window.mvbench.views.pareto.toImageURL('svg'), window.mvbench.views.pareto.toImageURL('png')])`)) as string[];
    expect(urls[0]).toMatch(/^blob:|^data:image\/svg/);
    expect(urls[1]).toMatch(/^data:image\/png;base64,/);
    expect(problems).toEqual([]);
  });

  it('shows the header facts: plan, cells, failures, machine, threads used', async () => {
    const header = (await page.evaluate(`document.querySelector('header').innerText`)) as string;
    expect(header).toContain('plan golden');
    expect(header).toContain(`${rows.length} cells: ${rows.length - 2} measured, 2 failed`);
    expect(header).toMatch(/AMD EPYC 7B13 · 2 cores .* commit d0d3ce1f6a/);
    expect(header).toContain('onnxruntime-node 1.30.0');
    expect(header).toContain('ort-node:cpu: 2 threads → 2 used');
  });

  it('lists failed cells with their error and sorts the table on a header click', async () => {
    const status = await column('status');
    expect(status.filter((s) => s.startsWith('RUNNER_FAILED:') || s.startsWith('TIMEOUT:'))).toHaveLength(2);
    const before = await column('median ms');
    const header = `xpath/.//table[@id='rows']//th[normalize-space()='median ms']`;
    await (await page.$(header))!.click();
    const asc = await column('median ms');
    expect(asc).not.toEqual(before);
    const nums = asc.filter((v) => v !== '').map(Number);
    expect(nums).toEqual([...nums].sort((a, b) => a - b));
    expect(asc.slice(-2)).toEqual(['', '']); // failed cells have no median: last either way
    await (await page.$(header))!.click();
    const desc = (await column('median ms')).filter((v) => v !== '').map(Number);
    expect(desc).toEqual([...nums].reverse());
    await page.evaluate('window.scrollTo(0, 0)'); // else the sticky table of contents lands mid-page
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('opens with the claims table and draws the token-scaling figure with its fitted lines', async () => {
    const file = join(tmp, 'claims.html');
    writeFileSync(file, buildReport([...claimsRows(), ...scalingRows()], META));
    const claims = await chromium.newPage();
    await claims.goto(pathToFileURL(file).href);
    await claims.waitForFunction('window.mvbench && window.mvbench.ready === true', { timeout: 15_000 });
    expect(await claims.evaluate('window.mvbench.errors')).toEqual([]);
    const first = (await claims.evaluate(`document.querySelector('main').firstElementChild.id`)) as string;
    expect(first).toBe('claims');
    const verdicts = (await claims.evaluate(`[...document.querySelectorAll('#claims td.verdict')].map((td) => td.textContent)`)) as string[];
    expect(verdicts).toEqual(expect.arrayContaining(['holds', 'holds weaker', 'does not hold', 'reversed', 'not measured']));
    const marks = ((await claims.evaluate(MARKS)) as Record<string, Record<string, number>>)['token-scaling'];
    // a point per cell for the model and one for its attention time (the legends add a few more symbols)
    expect(marks.symbol).toBeGreaterThanOrEqual(scalingRows().filter((r) => r.knobs!.attention !== 'none').length * 2);
    expect(marks.line).toBeGreaterThan(0);
    await claims.close();
    expect(problems).toEqual([]);
  });
});
