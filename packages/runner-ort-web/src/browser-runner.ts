/**
 * onnxruntime-web in headless Chromium: `ort-web:wasm-browser` (the benchmark runner), `ort-web:webgl-browser` and
 * `ort-web:webgpu-browser` (functional only: here both run on SwiftShader, a CPU emulation, so their settings say
 * `notGpuNumber: true` and name the adapter).
 *
 *   runner instance -> one browser (the sweep's shared one when its context names an endpoint, else its own)
 *                   -> one static server (page, ORT files, /model/<n>.onnx while a prepare fetches it)
 *                   -> one page per thread count (ORT fixes numThreads at the page's first session)
 *                   -> one ORT session per prepare
 *
 * Every call into a page is bounded by `timeoutMs`. A failure (a hung page, a crashed renderer, a wasm trap, a
 * session ORT refused) rejects and retires the page; the next prepare opens a fresh one. So a sweep's cell ends
 * with an error instead of hanging, and one failure never poisons later sessions.
 */
import type { StaticServer } from '@mvbench/browser';
import { checkThreads, type Feeds, type ModelArtifact, type Prepared, type Runner } from '@mvbench/runner-core';
import type { Page } from 'puppeteer-core';
import { ORT_WEB_BROWSER } from './descriptors.ts';
import { describeFeeds, failed, orderedFeeds, ortWebVersion, supportsOn, toOutputs, type Device } from './ort-web-common.ts';
import { pageFiles, pageModule, WARMUP_MODEL } from './page.ts';
import { acquireBrowser, withTimeout, type AcquiredBrowser } from './shared-browser.ts';

export interface BrowserRunnerOptions {
  device?: Device; // default 'wasm'
  /** limit for each call into the page (page load, session creation, one run, one batch of timed runs); default 60 s */
  timeoutMs?: number;
  /** default true; false serves the page without COOP/COEP, to show that ORT then falls back to one thread */
  crossOriginIsolated?: boolean;
  /** DevTools endpoint of a shared Chromium (the sweep's) to connect to; without it the runner launches its own */
  browserWs?: string;
}

/** milliseconds spent getting to a session, apart from inference: what a browser costs per cell */
export interface BrowserOverhead {
  launch: number; // launching or connecting to Chromium (0 when this runner instance already had it)
  page: number; // opening and loading the page (0 when a page with this thread count was reused)
  wasmInit: number; // importing ORT and compiling its wasm, through a one-node warm-up session (0 when reused)
  transfer: number; // the page fetching the model bytes
  session: number; // InferenceSession.create in the page
}

export interface OrtWebBrowserPrepared extends Prepared {
  readonly model: ModelArtifact;
  readonly page: Page;
  readonly sessionId: number;
  readonly overheadMs: BrowserOverhead;
}

interface PageInfo {
  numThreads: number;
  workers: number;
  crossOriginIsolated: boolean;
  adapter: string | null;
}

interface Slot {
  page: Page;
  threads: number;
  info: PageInfo;
  dead?: Error; // set once the page is retired; every later call fails with it
  died: Promise<never>; // rejects when the renderer crashes, the page closes or Chromium goes away
  kill(why: Error): void; // rejects `died`
}

type WireTensor = { name: string; type: string; shape: number[]; data: string };

const f32 = (s: string) => {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|software|basic render/i;

/** calls `window.mvbench[method](...args)` in the page */
const api = <T>(page: Page, method: string, ...args: unknown[]): Promise<T> =>
  page.evaluate((m, a) => (globalThis as any).mvbench[m](...a), method, args) as Promise<T>;

export function createOrtWebBrowserRunner(options: BrowserRunnerOptions = {}): Runner<OrtWebBrowserPrepared> {
  const { device = 'wasm', timeoutMs = 60_000, crossOriginIsolated = true, browserWs } = options;
  const id = ORT_WEB_BROWSER[device];
  const versions: Record<string, string> = { 'onnxruntime-web': ortWebVersion() };
  let browser: Promise<AcquiredBrowser> | undefined;
  let server: Promise<StaticServer> | undefined;
  let files: ReturnType<typeof pageFiles> | undefined; // looked up by the server per request: models come and go
  let models = 0;
  const pages = new Map<number, Promise<Slot>>(); // by thread count, while opening and once open
  const open = new Map<number, Slot>(); // the pages that finished opening
  const slots = new Map<OrtWebBrowserPrepared, Slot>();
  const held = new WeakMap<OrtWebBrowserPrepared, Map<string, Buffer>>(); // copies of the feeds the page holds

  const getBrowser = (): Promise<AcquiredBrowser> => {
    if (browser) return browser;
    const acquired = acquireBrowser(device, browserWs);
    browser = acquired;
    acquired.then(
      (b) => {
        versions.chromium = b.version;
        // Chromium died or the shared browser went away: start afresh at the next prepare
        b.browser.once('disconnected', () => {
          if (browser !== acquired) return;
          browser = undefined;
          for (const slot of open.values()) slot.kill(new Error('Chromium went away (Connection closed)'));
          [pages, open].forEach((m) => m.clear());
        });
      },
      () => browser === acquired && (browser = undefined),
    );
    return acquired;
  };

  const retire = async (slot: Slot, why: Error) => {
    if (slot.dead) return;
    slot.dead = why;
    if (open.get(slot.threads) === slot) [pages, open].forEach((m) => m.delete(slot.threads));
    await withTimeout(slot.page.close(), 5_000);
  };

  /**
   * One bounded call into a page. Any failure retires the page: after a timeout, crash or wasm trap the page is
   * unusable, and after a failed session creation ORT's WebGPU provider refuses every later session in it.
   */
  const call = async <T>(slot: Slot, method: string, ...args: unknown[]): Promise<T> => {
    if (slot.dead) throw new Error(`the page was closed after an earlier failure: ${slot.dead.message}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the page timed out: no answer within ${timeoutMs} ms (hung page); it was closed`)), timeoutMs);
    });
    try {
      return await Promise.race([api<T>(slot.page, method, ...args), timeout, slot.died]);
    } catch (e) {
      if (method !== 'release') await retire(slot, e as Error);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  const openPage = async (threads: number, overhead: BrowserOverhead): Promise<Slot> => {
    const launching = !browser;
    const b = await getBrowser();
    if (launching) overhead.launch = b.launchMs;
    if (!server) {
      files = pageFiles(device);
      const { serveStatic } = await import('@mvbench/browser');
      server = serveStatic(files, { crossOriginIsolated });
    }
    const { origin } = await server;
    let t0 = performance.now();
    const page = await b.browser.newPage();
    let kill!: (e: Error) => void;
    const died = new Promise<never>((_, reject) => (kill = reject));
    died.catch(() => {}); // observed through call()
    page.on('error', (e) => kill(new Error(`the page crashed: ${e.message}`)));
    page.on('close', () => kill(new Error('the page was closed (Target closed)')));
    const slot: Slot = { page, threads, died, kill, info: undefined as unknown as PageInfo };
    if (!(await withTimeout(page.goto(`${origin}/`), timeoutMs))) await retire(slot, new Error('the page timed out while loading'));
    overhead.page = performance.now() - t0;
    t0 = performance.now();
    slot.info = await call<PageInfo>(slot, 'init', pageModule(device), device, threads, WARMUP_MODEL);
    overhead.wasmInit = performance.now() - t0;
    open.set(threads, slot);
    return slot;
  };

  const settingsUsed = (slot: Slot, threads: number, graphOptimization: string, shared: boolean) => {
    const { numThreads, workers, adapter } = slot.info;
    const settings: OrtWebBrowserPrepared['settingsUsed'] = {
      // ORT lowers numThreads when threads are unavailable; the pthread workers it started confirm what it got
      threads: Math.min(numThreads, workers + 1),
      threadsAsked: threads,
      ortNumThreads: numThreads,
      pthreadWorkers: workers,
      crossOriginIsolated: slot.info.crossOriginIsolated,
      graphOptimization,
      executionProvider: device,
      browser: versions.chromium,
      sharedBrowser: shared,
    };
    if (device !== 'wasm') Object.assign(settings, { adapter: adapter ?? 'unknown', notGpuNumber: !adapter || SOFTWARE_ADAPTER.test(adapter) });
    return settings;
  };

  const slotOf = (p: OrtWebBrowserPrepared): Slot => {
    const slot = slots.get(p);
    if (!slot) throw new Error('this session was released');
    return slot;
  };
  /** the feeds to send, or null when the page already holds these values (a byte compare costs far less than a send) */
  const upload = (p: OrtWebBrowserPrepared, feeds: Feeds) => {
    const list = orderedFeeds(p.model, feeds).map((f) => ({ ...f, bytes: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength) }));
    const last = held.get(p);
    if (last && list.every((f) => last.get(f.name)?.equals(f.bytes))) return null;
    held.set(p, new Map(list.map((f) => [f.name, Buffer.from(f.bytes)])));
    return list.map(({ name, shape, bytes }) => ({ name, shape, data: bytes.toString('base64') }));
  };

  return {
    id,
    versions,
    supports: (model) => supportsOn(id, device, model),

    async prepare(model, settings) {
      const { threads, graphOptimization = 'all' } = settings;
      checkThreads(id, threads);
      const overheadMs: BrowserOverhead = { launch: 0, page: 0, wasmInit: 0, transfer: 0, session: 0 };
      try {
        let slotP = pages.get(threads);
        if (!slotP) {
          pages.set(threads, (slotP = openPage(threads, overheadMs)));
          slotP.catch(() => pages.delete(threads));
        }
        const slot = await slotP;
        const url = `/model/${++models}.onnx`;
        files![url] = { body: model.onnx, type: 'application/octet-stream' };
        let loaded: { id: number; transferMs: number; sessionMs: number };
        try {
          loaded = await call(slot, 'load', url, device, graphOptimization);
        } finally {
          delete files![url];
        }
        overheadMs.transfer = loaded.transferMs;
        overheadMs.session = loaded.sessionMs;
        const shared = (await browser!).shared;
        const prepared = { model, page: slot.page, sessionId: loaded.id, overheadMs, settingsUsed: settingsUsed(slot, threads, graphOptimization, shared) };
        slots.set(prepared, slot);
        return prepared;
      } catch (e) {
        throw failed(id, model, 'load', `${threads} thread(s), optimization '${graphOptimization}'`, e);
      }
    },

    async run(p, feeds) {
      try {
        const slot = slotOf(p);
        const out = await call<WireTensor[]>(slot, 'run', p.sessionId, upload(p, feeds));
        return toOutputs(out.map((t) => ({ ...t, data: f32(t.data) })));
      } catch (e) {
        throw failed(id, p.model, 'run', describeFeeds(p.model, feeds), e);
      }
    },

    async timeRuns(p, feeds, n) {
      try {
        const slot = slotOf(p);
        return await call<number[]>(slot, 'time', p.sessionId, n, upload(p, feeds));
      } catch (e) {
        throw failed(id, p.model, 'time', `${n} run(s)`, e);
      }
    },

    async dispose(prepared) {
      const release = async (p: OrtWebBrowserPrepared) => {
        const slot = slots.get(p);
        slots.delete(p);
        if (slot && !slot.dead) await call(slot, 'release', p.sessionId).catch(() => {});
      };
      if (prepared) return release(prepared);
      await Promise.all([...slots.keys()].map(release));
      const all = await Promise.all([...pages.values()].map((s) => s.catch(() => undefined)));
      [pages, open].forEach((m) => m.clear());
      await Promise.all(all.map((s) => s && !s.dead && withTimeout(s.page.close(), 5_000)));
      const [b, s] = [browser, server];
      [browser, server, files] = [undefined, undefined, undefined];
      await Promise.all([b?.then((x) => withTimeout(x.release(), 5_000), () => {}), s?.then((x) => x.close(), () => {})]);
    },
  };
}
