/** The onnxruntime-web runners as data; light: onnxruntime-web and puppeteer load only in create(). */
import type { RunnerDescriptor } from '@mvbench/runner-core';
import type { Device } from './ort-web-common.ts';

export const ORT_WEB_WASM = 'ort-web:wasm';
export const ORT_WEB_BROWSER: Record<Device, string> = {
  wasm: 'ort-web:wasm-browser',
  webgl: 'ort-web:webgl-browser',
  webgpu: 'ort-web:webgpu-browser',
};

const browserRunner = (device: Device): RunnerDescriptor => ({
  id: ORT_WEB_BROWSER[device],
  runtime: 'onnxruntime-web',
  // one Chromium for a whole sweep: the runner connects to the endpoint its context carries
  shares: 'browser',
  create: async ({ browserWs }) => (await import('./browser-runner.ts')).createOrtWebBrowserRunner({ device, browserWs }),
});

export const ORT_WEB_RUNNERS: readonly RunnerDescriptor[] = [
  { id: ORT_WEB_WASM, runtime: 'onnxruntime-web', create: async () => (await import('./wasm-runner.ts')).createOrtWebWasmRunner() },
  browserRunner('wasm'),
  browserRunner('webgl'),
  browserRunner('webgpu'),
];
