/** The local page server answers bad requests instead of throwing: real HTTP requests to a real server. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from './serve.ts';

/** a raw GET of `path` exactly as written (no client-side normalisation of the escapes) */
const get = (origin: string, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(`${origin}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });

describe('serveStatic', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic({ '/index.html': { body: '<p>hi</p>', type: 'text/html' }, '/a b.js': { body: '1', type: 'text/javascript' } });
  });
  afterAll(() => server.close());

  it('answers a malformed percent-escape with 400 and keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/%zz/index.html']) {
      const r = await get(server.origin, path);
      expect(r.status, path).toBe(400);
      expect(r.body).toContain('malformed URL');
    }
    expect(await get(server.origin, '/')).toEqual({ status: 200, body: '<p>hi</p>' });
    expect(await get(server.origin, '/a%20b.js')).toEqual({ status: 200, body: '1' });
    expect((await get(server.origin, '/nope')).status).toBe(404);
    expect(server.notFound).toEqual(['/nope']);
  });
});
