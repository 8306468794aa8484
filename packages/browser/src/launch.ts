/**
 * Headless Chromium through puppeteer-core: Debian's `/usr/bin/chromium` or `MVBENCH_CHROMIUM`, never a download.
 * Each launch gets a fresh profile directory in os.tmpdir(), removed on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { msg } from './messages.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];

/** flags that work as root in a container without a GPU or a display; see ENVIRONMENT.md */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchOptions {
  /** overrides MVBENCH_CHROMIUM and the default paths */
  executablePath?: string;
  /** added after CHROMIUM_FLAGS, e.g. '--enable-unsafe-webgpu' */
  args?: string[];
}

export interface HeadlessBrowser {
  readonly browser: Browser;
  readonly executablePath: string;
  /** the fresh profile directory, removed by close() */
  readonly userDataDir: string;
  /** Chromium's version string, e.g. 'Chrome/156.0.8078.79' */
  readonly version: string;
  newPage(): Promise<Page>;
  /** closes Chromium and removes its profile directory */
  close(): Promise<void>;
}

export function findChromium(explicit?: string): string {
  if (explicit) return explicit;
  const env = process.env.MVBENCH_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw msg.chromiumEnvMissing(env);
    return env;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw msg.noChromium(CANDIDATES);
  return found;
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<HeadlessBrowser> {
  const executablePath = findChromium(opts.executablePath);
  const userDataDir = mkdtempSync(join(tmpdir(), 'mvbench-chromium-'));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: [...CHROMIUM_FLAGS, ...(opts.args ?? [])],
    });
  } catch (e) {
    removeProfile();
    throw msg.launchFailed(executablePath, (e as Error).message.split('\n')[0]);
  }
  const version = await browser.version();
  return {
    browser,
    executablePath,
    userDataDir,
    version,
    newPage: () => browser.newPage(),
    close: async () => {
      try {
        await browser.close();
      } finally {
        removeProfile();
      }
    },
  };
}
