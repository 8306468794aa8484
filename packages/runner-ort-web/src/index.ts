export { createOrtWebWasmRunner, type OrtWebWasmPrepared } from './wasm-runner.ts';
export {
  createOrtWebBrowserRunner,
  type BrowserOverhead,
  type BrowserRunnerOptions,
  type OrtWebBrowserPrepared,
} from './browser-runner.ts';
export { ORT_WEB_BROWSER, ORT_WEB_WASM } from './descriptors.ts';
export { closeSharedBrowser, ensureSharedBrowser, type SharedBrowser } from './shared-browser.ts';
export type { Device } from './ort-web-common.ts';
