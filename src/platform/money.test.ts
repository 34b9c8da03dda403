import { describe, expect, it } from 'vitest';
import { formatPence, pencePerHead, poundsToPence } from './money.js';

describe('money in integer pence', () => {
  it('reads pounds text exactly', () => {
    expect(poundsToPence('720462.51')).toBe(72046251n);
    expect(poundsToPence('0.1')).toBe(10n);
    expect(poundsToPence('-12')).toBe(-1200n);
    expect(poundsToPence('.05')).toBe(5n);
    // 0.1 + 0.2 style binary float error cannot occur: 3095768.43 stays exact.
    expect(poundsToPence('3095768.43')).toBe(309576843n);
  });
  it('rounds a third decimal place half away from zero', () => {
    expect(poundsToPence('1.005')).toBe(101n);
    expect(poundsToPence('1.004')).toBe(100n);
    expect(poundsToPence('-1.005')).toBe(-101n);
  });
  it('refuses text that is not an amount', () => {
    expect(() => poundsToPence('12a')).toThrow();
    expect(() => poundsToPence('')).toThrow();
  });
  it('formats pence for people', () => {
    expect(formatPence(123456789n)).toBe('£1,234,567.89');
    expect(formatPence(-5n)).toBe('−£0.05');
    expect(formatPence(150n, { wholePounds: true })).toBe('£2');
  });
  it('divides per head exactly, to the nearest penny', () => {
    expect(pencePerHead(72046251n, '4029.25')).toBe(17881n); // £178.81 per patient
    expect(pencePerHead(100n, '3')).toBe(33n);
    expect(pencePerHead(200n, '3')).toBe(67n);
    expect(pencePerHead(100n, '0')).toBeNull();
  });
});
