export { createOrtWebWasmRunner, ORT_WEB_WASM, type OrtWebWasmPrepared } from './wasm-runner.ts';
export {
  createOrtWebBrowserRunner,
  ORT_WEB_BROWSER,
  type BrowserOverhead,
  type BrowserRunnerOptions,
  type OrtWebBrowserPrepared,
} from './browser-runner.ts';
export { BROWSER_WS_ENV, closeSharedBrowser, ensureSharedBrowser, usesBrowser, type SharedBrowser } from './shared-browser.ts';
export type { Device } from './ort-web-common.ts';
