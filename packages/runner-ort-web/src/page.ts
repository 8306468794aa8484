/**
 * The page the browser runners drive: onnxruntime-web's files and a small in-page API (`window.mvbench`), served
 * from 127.0.0.1 with COOP/COEP so the page is cross-origin isolated (SharedArrayBuffer for wasm threads, 5 us timers).
 * Tensors cross the DevTools protocol as base64 of their float32 bytes; the model itself is fetched by the page
 * from the same server, once per prepare. All timing of in-page runs uses the page's performance.now().
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StaticFile } from '@mvbench/browser';
import { ortDist, type Device } from './ort-web-common.ts';

/** the onnxruntime-web bundle each device loads, and the wasm build that bundle fetches (by name, from /ort/) */
const BUNDLES: Record<Device, { module: string; wasm?: string }> = {
  wasm: { module: 'ort.wasm.min.mjs', wasm: 'ort-wasm-simd-threaded' },
  webgl: { module: 'ort.webgl.min.mjs' }, // WebGL only, no wasm
  webgpu: { module: 'ort.webgpu.min.mjs', wasm: 'ort-wasm-simd-threaded.asyncify' },
};

/** an Identity model [1] -> [1] (opset 17, from @mvbench/onnx): its session makes the page compile ORT's wasm */
const WARMUP_MODEL = 'CAgSB212YmVuY2g6SAocCgF4EgF5GghJZGVudGl0eSIISWRlbnRpdHk6ABIGd2FybXVwWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQEQ==';

// Plain JS, run in the page. Every entry point returns JSON-serialisable values.
const PAGE_SCRIPT = String.raw`
const st = { ort: null, sessions: new Map(), next: 1, workers: 0 };
// ORT's emscripten build starts one Web Worker per extra intra-op thread: counting them measures the threads it got
const NativeWorker = self.Worker;
self.Worker = class extends NativeWorker { constructor(...a) { super(...a); st.workers++; } };
const enc = (a) => {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
  return btoa(s);
};
const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const dec = (s) => new Float32Array(bytes(s).buffer);
const get = (id) => {
  const s = st.sessions.get(id);
  if (!s) throw new Error('session ' + id + ' was released');
  return s;
};
const setFeeds = (s, feeds) => {
  if (feeds) s.feeds = Object.fromEntries(feeds.map((f) => [f.name, new st.ort.Tensor('float32', dec(f.data), f.shape)]));
};
async function adapter(device) {
  if (device === 'webgpu') {
    const a = navigator.gpu && (await navigator.gpu.requestAdapter());
    return a ? [a.info.vendor, a.info.architecture, a.info.description].filter(Boolean).join(' ') : null;
  }
  if (device === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl && gl.getExtension('WEBGL_debug_renderer_info');
    return gl ? gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : null;
  }
  return null;
}
async function create(model, device, graphOptimizationLevel) {
  const t0 = performance.now();
  const session = await st.ort.InferenceSession.create(model, { executionProviders: [device], graphOptimizationLevel });
  return { session, ms: performance.now() - t0 };
}
window.mvbench = {
  async init(module, device, threads, warmupModel) {
    st.ort = await import(module);
    st.ort.env.wasm.wasmPaths = '/ort/';
    st.ort.env.wasm.numThreads = threads;
    const warm = await create(bytes(warmupModel), device, 'all');
    await warm.session.release();
    return {
      numThreads: st.ort.env.wasm.numThreads,
      workers: st.workers,
      crossOriginIsolated: self.crossOriginIsolated,
      adapter: await adapter(device),
      initMs: warm.ms,
    };
  },
  async load(url, device, graphOptimizationLevel) {
    const t0 = performance.now();
    const model = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const transferMs = performance.now() - t0;
    const { session, ms } = await create(model, device, graphOptimizationLevel);
    const id = st.next++;
    st.sessions.set(id, { session, feeds: null });
    return { id, transferMs, sessionMs: ms };
  },
  async run(id, feeds) {
    const s = get(id);
    setFeeds(s, feeds);
    const out = await s.session.run(s.feeds);
    return Object.entries(out).map(([name, t]) => ({ name, type: t.type, shape: Array.from(t.dims), data: enc(t.data) }));
  },
  async time(id, n, feeds) {
    const s = get(id);
    setFeeds(s, feeds);
    const ms = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await s.session.run(s.feeds);
      ms.push(performance.now() - t0);
    }
    return ms;
  },
  async release(id) {
    const s = st.sessions.get(id);
    st.sessions.delete(id);
    if (s) await s.session.release();
  },
};
`;

/** the files a page for `device` needs, by URL path; model files are added under /model/ per prepare */
export function pageFiles(device: Device): Record<string, StaticFile> {
  const dist = ortDist();
  const { module, wasm } = BUNDLES[device];
  const js = (body: string | Uint8Array): StaticFile => ({ body, type: 'text/javascript; charset=utf-8' });
  return {
    // the data: favicon keeps Chromium from requesting /favicon.ico
    '/index.html': {
      body: `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>mvbench</title><script src="/page.js"></script>`,
      type: 'text/html; charset=utf-8',
    },
    '/page.js': js(PAGE_SCRIPT),
    [`/ort/${module}`]: js(readFileSync(join(dist, module))),
    ...(wasm && {
      [`/ort/${wasm}.mjs`]: js(readFileSync(join(dist, `${wasm}.mjs`))),
      [`/ort/${wasm}.wasm`]: { body: readFileSync(join(dist, `${wasm}.wasm`)), type: 'application/wasm' },
    }),
  };
}

export const pageModule = (device: Device): string => `/ort/${BUNDLES[device].module}`;
export { WARMUP_MODEL };
