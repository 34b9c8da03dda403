import { describe, expect, it } from 'vitest';
import { penceAsPounds } from '../money.js';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes, escapes and neutralises formula-like text', () => {
    const csv = toCsv(
      [
        { header: 'name', value: (r: { name: string; n: number | null }) => r.name },
        { header: 'n', value: (r) => r.n },
      ],
      [
        { name: 'Smith, "Jo"', n: 1.5 },
        { name: '=HYPERLINK("x")', n: null },
        { name: '-10', n: -10 },
      ],
    );
    expect(csv).toBe('name,n\r\n"Smith, ""Jo""",1.5\r\n"\'=HYPERLINK(""x"")",\r\n\'-10,-10\r\n');
  });
  it('writes pence as exact pounds', () => {
    expect(penceAsPounds(12345n)).toBe('123.45');
    expect(penceAsPounds(-5n)).toBe('-0.05');
    expect(penceAsPounds(null)).toBeNull();
  });
});
