// Standardised ratios from counts and populations: the group is its own reference, so it sums to 100.
import { describe, expect, it } from 'vitest';
import { ALL_SPECIALTIES, standardisedCells } from './practice-variation.service.js';
import type { PracticePopulation } from './synthetic-activity.js';

const practice = (code: string, young: number, old: number): PracticePopulation => ({
  code,
  bands: [
    { sex: 'female', band: '20-24', patients: young },
    { sex: 'male', band: '20-24', patients: young },
    { sex: 'female', band: '80-84', patients: old },
    { sex: 'male', band: '80-84', patients: old },
  ],
});

describe('standardisedCells', () => {
  const practices = [practice('A', 1000, 100), practice('B', 100, 1000)];

  it('expects more cataract referrals from the older practice and scales expected to observed', () => {
    const observed = new Map([
      ['A 130', 20],
      ['B 130', 80],
    ]);
    const [a, b] = standardisedCells(practices, observed, 'gp-referral', ['130']);
    expect(a!['130']!.expected + b!['130']!.expected).toBeCloseTo(100, 9);
    expect(b!['130']!.expected).toBeGreaterThan(a!['130']!.expected * 3);
    for (const cell of [a!['130']!, b!['130']!])
      expect(cell.ratio).toBeCloseTo((cell.observed / cell.expected) * 100, 9);
    // Each practice's all-specialties cell adds up its specialties.
    expect(a![ALL_SPECIALTIES]!.observed).toBe(20);
    expect(a![ALL_SPECIALTIES]!.expected).toBeCloseTo(a!['130']!.expected, 9);
  });

  it('gives a practice with no activity a ratio of 0 and one total when there are no specialties', () => {
    const [a, b] = standardisedCells(practices, new Map([['B ', 50]]), 'emergency-admission', []);
    expect(Object.keys(a!)).toEqual([ALL_SPECIALTIES]);
    expect(a![ALL_SPECIALTIES]!.observed).toBe(0);
    expect(a![ALL_SPECIALTIES]!.ratio).toBe(0);
    expect(b![ALL_SPECIALTIES]!.ratio).toBeGreaterThan(100);
  });

  it('has no ratio where nothing is expected', () => {
    const [a] = standardisedCells([practice('A', 0, 0)], new Map(), 'gp-referral', ['130']);
    expect(a!['130']!.ratio).toBeNull();
    expect(a!['130']!.signal).toBe('not-applicable');
  });
});
