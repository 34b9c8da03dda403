import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, CachedBody } from './cached-body.js';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['identity', false],
    ['gzip;q=0', false],
    ['gzip;q=0.0, *', false],
    ['*;q=0', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('CachedBody', () => {
  it('keeps JSON exact (pence as integers) and its gzip form decompresses to the same text', () => {
    const body = CachedBody.json({ totalPence: 123456789n, rows: [1, 2] });
    expect(body.text).toBe('{"totalPence":123456789,"rows":[1,2]}');
    expect(gunzipSync(body.gzip()).toString('utf8')).toBe(body.text);
    expect(body.gzip()).toBe(body.gzip()); // compressed once
  });
});
