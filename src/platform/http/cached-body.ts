// A response body made once and sent many times (a cached page or JSON answer), with its gzip form
// made on first need: compressing a 300 kB page on every request cost more than serving it.
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { jsonReplacer } from './json.js';

/** Below this size compressing saves less than it costs (as in Hono's own middleware). */
const THRESHOLD = 1024;

export class CachedBody {
  #gzip: Uint8Array | undefined;
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}

  static html(text: string) {
    return new CachedBody(text, 'text/html; charset=UTF-8');
  }

  static json(value: unknown) {
    return new CachedBody(JSON.stringify(value, jsonReplacer), 'application/json; charset=utf-8');
  }

  gzip(): Uint8Array {
    return (this.#gzip ??= new Uint8Array(gzipSync(this.text)));
  }
}

/** Whether an Accept-Encoding header allows gzip (named, or `*`, with a quality above 0), read as Hono's compression reads it. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const accepts = parseAccept(header);
  const q = (
    accepts.find((a) => a.type.toLowerCase() === 'gzip') ?? accepts.find((a) => a.type === '*')
  )?.q;
  return q !== undefined && q > 0;
}

/** Sends a cached body, already compressed when the client takes gzip. */
export function sendCached(c: Context, body: CachedBody) {
  c.header('Vary', 'Accept-Encoding');
  if (body.text.length >= THRESHOLD && acceptsGzip(c.req.header('accept-encoding')))
    return c.body(body.gzip() as Uint8Array<ArrayBuffer>, 200, {
      'content-type': body.contentType,
      'content-encoding': 'gzip',
    });
  return c.body(body.text, 200, { 'content-type': body.contentType });
}
