import { describe, expect, it } from 'vitest';
import { readInSlices } from './slices.js';

describe('reading in slices', () => {
  it('reads every id once, in order, five hundred at a time', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => i + 1);
    const slices: number[] = [];
    const rows = await readInSlices(ids, (slice) => {
      slices.push(slice.length);
      return Promise.resolve(slice.map((id) => id * 2));
    });
    expect(slices).toEqual([500, 500, 500, 500, 500]);
    expect(rows).toEqual(ids.map((id) => id * 2));
    expect(await readInSlices([], () => Promise.resolve([1]))).toEqual([]);
  });

  it('lets work that is waiting run between slices', async () => {
    const order: string[] = [];
    await readInSlices([1, ...Array.from({ length: 700 }, (_, i) => i + 2)], (slice) => {
      order.push(`slice from ${slice[0]}`);
      if (slice[0] === 1) setImmediate(() => order.push('a request'));
      return Promise.resolve([]);
    });
    expect(order).toEqual(['slice from 1', 'a request', 'slice from 501']);
  });
});
