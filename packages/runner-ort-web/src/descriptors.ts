/** The onnxruntime-web runners as data; light: onnxruntime-web and puppeteer load only in create(). */
import { execFile } from 'node:child_process';
import type { RunnerDescriptor, RunnerProbe } from '@mvbench/runner-core';
import type { Device } from './ort-web-common.ts';

export const ORT_WEB_WASM = 'ort-web:wasm';
export const ORT_WEB_BROWSER: Record<Device, string> = {
  wasm: 'ort-web:wasm-browser',
  webgl: 'ort-web:webgl-browser',
  webgpu: 'ort-web:webgpu-browser',
};

const ortVersions = async () => ({ 'onnxruntime-web': (await import('./ort-web-common.ts')).ortWebVersion() });

/** the Chromium a browser cell would launch and its version (`chromium --version`), looked up once */
let chromium: Promise<RunnerProbe> | undefined;
const probeChromium = (): Promise<RunnerProbe> =>
  (chromium ??= (async (): Promise<RunnerProbe> => {
    let path: string;
    try {
      path = (await import('@mvbench/browser')).findChromium();
    } catch (e) {
      return { versions: {}, unavailable: (e as Error).message };
    }
    const version = await new Promise<string>((done) =>
      execFile(path, ['--version'], { timeout: 10_000 }, (err, stdout) => done(err ? 'unknown' : stdout.trim().replace(/^\D+/, ''))),
    );
    return { versions: { chromium: version.split(' ')[0] } };
  })());

const browserRunner = (device: Device): RunnerDescriptor => ({
  id: ORT_WEB_BROWSER[device],
  runtime: 'onnxruntime-web',
  // one Chromium for a whole sweep: the runner connects to the endpoint its context carries
  shares: 'browser',
  create: async ({ browserWs }) => (await import('./browser-runner.ts')).createOrtWebBrowserRunner({ device, browserWs }),
  probe: async () => {
    const browser = await probeChromium();
    return { ...browser, versions: { ...(await ortVersions()), ...browser.versions } };
  },
});

export const ORT_WEB_RUNNERS: readonly RunnerDescriptor[] = [
  {
    id: ORT_WEB_WASM,
    runtime: 'onnxruntime-web',
    create: async () => (await import('./wasm-runner.ts')).createOrtWebWasmRunner(),
    probe: async () => ({ versions: await ortVersions() }),
  },
  browserRunner('wasm'),
  browserRunner('webgl'),
  browserRunner('webgpu'),
];
