/**
 * One Chromium for a whole sweep. The sweep runs every cell in its own process; the parent keeps one browser alive
 * and hands its DevTools endpoint to the cells in their jobs (a RunnerContext value), and a browser runner in a cell
 * connects to it instead of launching its own. The parent calls `ensureSharedBrowser()` before each browser cell (it launches
 * Chromium the first time, relaunches it when it died, and closes pages a killed cell left behind, which would
 * otherwise keep computing through later measurements) and `closeSharedBrowser()` when the sweep ends.
 */
import type { HeadlessBrowser } from '@mvbench/browser';
import type { Browser } from 'puppeteer-core';

/** the flags every device needs; a browser shared by all devices gets all of them (they only enable features) */
export const DEVICE_FLAGS = {
  wasm: [] as string[],
  webgl: ['--enable-unsafe-swiftshader'],
  webgpu: ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'],
};
const ALL_FLAGS = [...new Set(Object.values(DEVICE_FLAGS).flat())];
const CLOSE_TIMEOUT_MS = 5_000;

let shared: HeadlessBrowser | undefined;

export interface SharedBrowser {
  wsEndpoint: string;
  /** true when this call (re)launched Chromium */
  launched: boolean;
  /** pages left behind by earlier cells that this call closed */
  closedPages: number;
}

export async function ensureSharedBrowser(): Promise<SharedBrowser> {
  const { launchBrowser } = await import('@mvbench/browser');
  let closedPages = 0;
  if (shared && alive(shared)) {
    const leftovers = await shared.browser.pages().then((all) => all.filter((p) => p.url() !== 'about:blank'), () => undefined);
    const closed = leftovers && (await Promise.all(leftovers.map((p) => withTimeout(p.close(), CLOSE_TIMEOUT_MS, true))));
    closedPages = leftovers?.length ?? 0;
    if (!closed || closed.includes(false)) await closeSharedBrowser(); // a page that cannot be closed: start afresh
  } else if (shared) await closeSharedBrowser();
  const launched = !shared;
  shared ??= await launchBrowser({ args: ALL_FLAGS });
  return { wsEndpoint: shared.browser.wsEndpoint(), launched, closedPages };
}

const alive = ({ browser }: HeadlessBrowser) => {
  const proc = browser.process();
  return browser.connected && !!proc && proc.exitCode === null && proc.signalCode === null;
};

export async function closeSharedBrowser(): Promise<void> {
  const b = shared;
  shared = undefined;
  if (b) await withTimeout(b.close(), CLOSE_TIMEOUT_MS);
}

export interface AcquiredBrowser {
  browser: Browser;
  version: string;
  /** connected to the sweep's shared browser rather than launched */
  shared: boolean;
  launchMs: number;
  /** disconnects from a shared browser, closes an own one */
  release(): Promise<void>;
}

/** the shared browser at `ws` when it is live, else a fresh headless Chromium */
export async function acquireBrowser(device: keyof typeof DEVICE_FLAGS, ws?: string): Promise<AcquiredBrowser> {
  const [{ default: puppeteer }, { launchBrowser }] = await Promise.all([import('puppeteer-core'), import('@mvbench/browser')]);
  const t0 = performance.now(); // module loading is not the browser's cost
  if (ws) {
    const browser = await puppeteer.connect({ browserWSEndpoint: ws, defaultViewport: null }).catch(() => undefined);
    if (browser) {
      const version = await browser.version();
      return { browser, version, shared: true, launchMs: performance.now() - t0, release: () => browser.disconnect() };
    }
  }
  const own = await launchBrowser({ args: DEVICE_FLAGS[device] });
  return { browser: own.browser, version: own.version, shared: false, launchMs: performance.now() - t0, release: () => own.close() };
}

/** true when `p` settled within `ms` (resolved, with `mustResolve`); never rejects */
export async function withTimeout(p: Promise<unknown>, ms: number, mustResolve = false): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => !mustResolve), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
