/** A static file server on 127.0.0.1 with an ephemeral port, for pages that Chromium loads over http. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  body: string | Uint8Array;
  /** Content-Type, e.g. 'text/html; charset=utf-8', 'application/wasm' */
  type: string;
}

export interface ServeOptions {
  /**
   * Sends COOP/COEP so the page is cross-origin isolated: needed for SharedArrayBuffer (multi-threaded wasm)
   * and for 5 us rather than 100 us `performance.now()` resolution.
   */
  crossOriginIsolated?: boolean;
}

export interface StaticServer {
  /** e.g. 'http://127.0.0.1:41234' (no trailing slash) */
  readonly origin: string;
  /** paths requested that were not in `files` */
  readonly notFound: string[];
  close(): Promise<void>;
}

/** the decoded path of a request URL, or undefined when it cannot be decoded */
function decodePath(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
  } catch {
    return undefined;
  }
}

/** `files` maps URL paths ('/index.html') to contents; anything else is a 404. */
export async function serveStatic(files: Record<string, StaticFile>, opts: ServeOptions = {}): Promise<StaticServer> {
  const notFound: string[] = [];
  const server = createServer((req, res) => {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    // a malformed escape (e.g. '/%E0%A4%A') is the client's error: 400, never an exception that ends the cell
    const path = decodePath(req.url);
    if (path === undefined) {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end(`bad request: malformed URL ${req.url}`);
      return;
    }
    const file = files[path] ?? (path.endsWith('/') ? files[`${path}index.html`] : undefined);
    if (opts.crossOriginIsolated)
      Object.assign(headers, {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
    if (!file) {
      notFound.push(path);
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': String(Buffer.byteLength(file.body)) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    notFound,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
