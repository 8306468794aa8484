import { afterAll, describe, expect, it } from 'vitest';
import { prepareModel } from '@mvbench/pipeline';
import { fixtureInput, type ModelArtifact, type Outputs } from '@mvbench/runner-core';
import {
  closeSharedBrowser,
  createOrtWebBrowserRunner,
  createOrtWebWasmRunner,
  ensureSharedBrowser,
  type OrtWebBrowserPrepared,
} from './index.ts';

const model = prepareModel('mobilevit_xxs:resolution=64').artifact;
const feeds = { input: fixtureInput(model.inputs[0].shape) };
const maxDiff = (a: Outputs, b: Outputs) => Math.max(...a.logits.data.map((v, i) => Math.abs(v - b.logits.data[i])));
const patchPage = (p: OrtWebBrowserPrepared, method: string, body: string) =>
  p.page.evaluate(`window.mvbench.${method} = async () => { ${body} }`);

const runner = createOrtWebBrowserRunner();
afterAll(() => runner.dispose());

describe('ort-web:wasm-browser', () => {
  it('runs in a cross-origin isolated page, one page per thread count, and records the threads it got', async () => {
    const node = createOrtWebWasmRunner();
    const expected = await node.run(await node.prepare(model, { threads: 1 }), feeds);
    await node.dispose();
    const one = await runner.prepare(model, { threads: 1 });
    expect(one.settingsUsed).toMatchObject({ threads: 1, pthreadWorkers: 0, crossOriginIsolated: true, sharedBrowser: false });
    expect(one.overheadMs.launch).toBeGreaterThan(0);
    const two = await runner.prepare(model, { threads: 2 });
    expect(two.settingsUsed).toMatchObject({ threads: 2, threadsAsked: 2, ortNumThreads: 2, pthreadWorkers: 1, crossOriginIsolated: true });
    expect(two.page).not.toBe(one.page);
    expect(two.overheadMs.launch).toBe(0);
    const again = await runner.prepare(model, { threads: 2 });
    expect(again.page).toBe(two.page); // reused: no page, no wasm compile
    expect(again.overheadMs).toMatchObject({ page: 0, wasmInit: 0 });
    for (const p of [one, two, again]) expect(maxDiff(await runner.run(p, feeds), expected)).toBeLessThan(1e-4);
    expect(runner.versions.chromium).toMatch(/Chrom/);
    await Promise.all([one, two, again].map((p) => runner.dispose(p)));
  });

  it('without COOP/COEP onnxruntime-web falls back to one thread, and settingsUsed says so', async () => {
    const plain = createOrtWebBrowserRunner({ crossOriginIsolated: false });
    try {
      const p = await plain.prepare(model, { threads: 2 });
      expect(p.settingsUsed).toMatchObject({ threads: 1, threadsAsked: 2, ortNumThreads: 1, pthreadWorkers: 0, crossOriginIsolated: false });
    } finally {
      await plain.dispose();
    }
  });

  it('timeRuns times runs inside the page at sub-0.1 ms resolution', async () => {
    const p = await runner.prepare(model, { threads: 1 });
    const ms = await runner.timeRuns!(p, feeds, 8);
    expect(ms).toHaveLength(8);
    expect(ms.every((t) => t > 0 && Number.isFinite(t))).toBe(true);
    // cross-origin isolated pages get 5 us timers, others 100 us
    expect(ms.some((t) => Math.abs(t * 10 - Math.round(t * 10)) > 1e-6)).toBe(true);
    expect(await runner.timeRuns!(p, feeds, 2)).toHaveLength(2);
    await runner.dispose(p);
  });

  it('a hung page rejects within the timeout, is closed, and the next prepare gets a fresh page', async () => {
    const quick = createOrtWebBrowserRunner({ timeoutMs: 2_000 });
    try {
      const p = await quick.prepare(model, { threads: 1 });
      await patchPage(p, 'run', 'for (;;) {}');
      const err = await quick.run(p, feeds).catch((e) => e);
      expect(err).toMatchObject({ code: 'RUNNER_FAILED' });
      expect(err.message).toMatch(/ort-web:wasm-browser could not run model 'mobilevit_xxs:resolution=64'.*timed out/);
      await expect(quick.run(p, feeds)).rejects.toThrow(/closed after an earlier failure/);
      const fresh = await quick.prepare(model, { threads: 1 });
      expect(fresh.page).not.toBe(p.page);
      expect((await quick.run(fresh, feeds)).logits.shape).toEqual([1, 1000]);
    } finally {
      await quick.dispose();
    }
  });

  it('Chromium killed mid-cell: run rejects at once and the next prepare launches a new browser', async () => {
    const r = createOrtWebBrowserRunner();
    try {
      const p = await r.prepare(model, { threads: 1 });
      p.page.browser().process()!.kill('SIGKILL');
      // rejected because Chromium went away, not after the page timeout
      await expect(r.run(p, feeds)).rejects.toMatchObject({ code: 'RUNNER_FAILED', message: expect.not.stringMatching(/timed out/) });
      await new Promise((resolve) => setTimeout(resolve, 200)); // the socket closes
      const fresh = await r.prepare(model, { threads: 1 });
      expect(fresh.overheadMs.launch).toBeGreaterThan(0);
      expect((await r.run(fresh, feeds)).logits.shape).toEqual([1, 1000]);
    } finally {
      await r.dispose();
    }
  });

  it('a wasm trap rejects with RUNNER_FAILED naming the trap', async () => {
    const p = await runner.prepare(model, { threads: 1 });
    await patchPage(p, 'run', "throw new WebAssembly.RuntimeError('unreachable')");
    const err = await runner.run(p, feeds).catch((e) => e);
    expect(err).toMatchObject({ code: 'RUNNER_FAILED', message: expect.stringMatching(/RuntimeError: unreachable/) });
    expect(err.message).not.toMatch(/\(http:/);
    await runner.dispose(p);
  });

  it('without Chromium: a user error that says how to install it or set MVBENCH_CHROMIUM', async () => {
    const saved = process.env.MVBENCH_CHROMIUM;
    process.env.MVBENCH_CHROMIUM = '/nonexistent/chromium';
    const r = createOrtWebBrowserRunner();
    try {
      const err = await r.prepare(model, { threads: 1 }).catch((e) => e);
      expect(err).toMatchObject({ code: 'FILE_NOT_FOUND', user: true });
      expect(err.message).toMatch(/^ort-web:wasm-browser: MVBENCH_CHROMIUM=\/nonexistent\/chromium does not exist/);
    } finally {
      if (saved === undefined) delete process.env.MVBENCH_CHROMIUM;
      else process.env.MVBENCH_CHROMIUM = saved;
      await r.dispose();
    }
  });
});

describe('one shared browser for a sweep', () => {
  it('cells connect to the endpoint their job carries; pages a killed cell left behind are closed; a dead browser is relaunched', async () => {
    try {
      const first = await ensureSharedBrowser();
      expect(first).toMatchObject({ launched: true, closedPages: 0 });
      expect(process.env.MVBENCH_BROWSER_WS).toBeUndefined(); // a value in the job, not the environment
      const cell = createOrtWebBrowserRunner({ browserWs: first.wsEndpoint }); // what a cell process does
      const p = await cell.prepare(model, { threads: 1 });
      expect(p.settingsUsed).toMatchObject({ sharedBrowser: true });
      // the cell "is killed": no dispose, its page stays open in the shared browser
      const again = await ensureSharedBrowser();
      expect(again).toMatchObject({ launched: false, closedPages: 1, wsEndpoint: first.wsEndpoint });
      await cell.dispose();
      const killer = await (await import('puppeteer-core')).default.connect({ browserWSEndpoint: first.wsEndpoint });
      await killer.close(); // Chromium exits
      await new Promise((resolve) => setTimeout(resolve, 500));
      const restarted = await ensureSharedBrowser();
      expect(restarted.launched).toBe(true);
      expect(restarted.wsEndpoint).not.toBe(first.wsEndpoint);
    } finally {
      await closeSharedBrowser();
    }
  });
});

describe('WebGL and WebGPU (functional only)', () => {
  const tiny: ModelArtifact = prepareModel('mobilenetv2_050:resolution=32').artifact;
  for (const device of ['webgl', 'webgpu'] as const)
    it(`ort-web:${device}-browser names its software adapter and never claims a GPU number`, async () => {
      const r = createOrtWebBrowserRunner({ device });
      try {
        expect(r.supports(tiny)).toEqual({ ok: true });
        const p = await r.prepare(tiny, { threads: 1 });
        expect(p.settingsUsed).toMatchObject({ executionProvider: device, notGpuNumber: true, adapter: expect.stringMatching(/swiftshader/i) });
        const out = await r.run(p, { input: fixtureInput(tiny.inputs[0].shape) });
        expect(out.logits.shape).toEqual([1, 1000]);
      } finally {
        await r.dispose();
      }
    });

  it('WebGL reports the ops it has no kernel for before running, naming them', () => {
    const s = createOrtWebBrowserRunner({ device: 'webgl' }).supports(model);
    expect(s).toMatchObject({ ok: false, unsupportedOps: expect.arrayContaining(['LayerNormalization']) });
    expect(s.ok || s.reason).toMatch(/ort-web:webgl-browser has no kernel for .*LayerNormalization/);
  });
});
