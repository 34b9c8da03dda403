// Serves the design system's CSS, images and our own stylesheet from fixed folders, cached in memory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** A handler serving files under `root` for the request path after `prefix`. */
export function staticFiles(prefix: string, root: string) {
  const cache = new Map<string, Buffer>();
  return async (c: Context) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice(prefix.length));
    } catch {
      return c.notFound(); // not a valid escaped path
    }
    const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
    const type = types[path.extname(file)];
    if (!type || !file.startsWith(root + path.sep)) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      try {
        body = await readFile(file);
      } catch {
        return c.notFound();
      }
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=3600',
    });
  };
}
