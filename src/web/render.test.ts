import { describe, expect, it } from 'vitest';
import { measureValue } from './render.js';

describe('measureValue', () => {
  it.each([
    [0, '0'],
    [0.046, '0.046'],
    [0.0012, '0.0012'],
    [0.5, '0.50'],
    [3.456, '3.46'],
    [51.47, '51.5'],
    [1234.56, '1,234.6'],
    [-0.046, '-0.046'],
  ])('shows %s as %s', (value, shown) => {
    expect(measureValue(value)).toBe(shown);
  });
});
