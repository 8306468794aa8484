import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MvbenchError } from '@mvbench/core';
import { findChromium, launchBrowser, serveStatic, type HeadlessBrowser } from './index.ts';
import { msg } from './messages.ts';

describe('findChromium', () => {
  it('names the fix when MVBENCH_CHROMIUM points nowhere', () => {
    const saved = process.env.MVBENCH_CHROMIUM;
    process.env.MVBENCH_CHROMIUM = '/nonexistent/chromium';
    try {
      expect(() => findChromium()).toThrow(/MVBENCH_CHROMIUM=\/nonexistent\/chromium does not exist/);
    } finally {
      if (saved === undefined) delete process.env.MVBENCH_CHROMIUM;
      else process.env.MVBENCH_CHROMIUM = saved;
    }
  });

  it('the missing-Chromium error is a user error that says how to install it', () => {
    const e = msg.noChromium(['/usr/bin/chromium']);
    expect(e).toBeInstanceOf(MvbenchError);
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('apt-get install chromium');
    expect(e.message).toContain('MVBENCH_CHROMIUM=');
  });
});

describe('headless Chromium + static server', () => {
  let chromium: HeadlessBrowser;
  beforeAll(async () => {
    chromium = await launchBrowser();
  });
  afterAll(async () => {
    const dir = chromium.userDataDir;
    await chromium.close();
    expect(existsSync(dir), 'profile directory removed on close').toBe(false);
  });

  for (const isolated of [false, true])
    it(`serves files${isolated ? ' cross-origin isolated' : ''} to a page`, async () => {
      const files = {
        '/index.html': { body: '<!doctype html><title>t</title><script src="a.js"></script>', type: 'text/html; charset=utf-8' },
        '/a.js': { body: 'window.answer = 42;', type: 'text/javascript' },
      };
      const server = await serveStatic(files, { crossOriginIsolated: isolated });
      const page = await chromium.newPage();
      try {
        const res = await page.goto(`${server.origin}/`);
        expect(res?.status()).toBe(200);
        expect(await page.evaluate('window.answer')).toBe(42);
        expect(await page.evaluate('self.crossOriginIsolated')).toBe(isolated);
        const missing = await page.evaluate(`fetch('/nope.wasm').then((r) => r.status)`);
        expect(missing).toBe(404);
        expect(server.notFound).toContain('/nope.wasm');
      } finally {
        await page.close();
        await server.close();
      }
    });

  it('reports the Chromium version', () => {
    expect(chromium.version).toMatch(/Chrom(e|ium)\/\d+/);
  });
});
