import { describe, expect, it } from 'vitest';
import { cappedLognormalMoments, defaultAssumptions, simulateRisk, type RiskUnit } from './risk.js';

describe('financial risk by Monte Carlo', () => {
  it('computes capped lognormal moments that agree with the uncapped ones when the cap is far away', () => {
    const free = cappedLognormalMoments(40_000, 1, null);
    const far = cappedLognormalMoments(40_000, 1, 1e12);
    expect(far.mean).toBeCloseTo(free.mean, 0);
    expect(Math.sqrt(far.variance) / Math.sqrt(free.variance)).toBeCloseTo(1, 3);
    const capped = cappedLognormalMoments(40_000, 1, 50_000);
    expect(capped.mean).toBeLessThan(40_000);
    expect(capped.variance).toBeLessThan(free.variance);
  });

  const units: RiskUnit[] = [
    { key: 'a', label: 'A', kind: 'practice', people: 4_000, pool: 'pool' },
    { key: 'b', label: 'B', kind: 'practice', people: 6_000, pool: 'pool' },
    { key: 'pool', label: 'Pool', kind: 'pcn', people: 10_000 },
    { key: 'g', label: 'Group', kind: 'group', people: 10_000 },
    { key: 's-2k', label: '2,000', kind: 'size', people: 2_000 },
    { key: 's-1m', label: '1,000,000', kind: 'size', people: 1_000_000 },
  ];

  it('is the same for the same seed, centred on budget, and narrower for bigger populations', () => {
    const one = simulateRisk(units, defaultAssumptions, 4000, 7);
    const two = simulateRisk(units, defaultAssumptions, 4000, 7);
    expect(one).toEqual(two);
    const by = new Map(one.map((s) => [s.key, s]));
    expect(Math.abs(by.get('s-1m')!.p50)).toBeLessThan(0.2);
    expect(by.get('s-2k')!.over5).toBeGreaterThan(0.1);
    expect(by.get('s-1m')!.over5).toBe(0);
    expect(by.get('s-2k')!.p95 - by.get('s-2k')!.p5).toBeGreaterThan(
      5 * (by.get('s-1m')!.p95 - by.get('s-1m')!.p5),
    );
    // The pool and the group are the same two practices here: identical years.
    expect(by.get('pool')!.over5).toBe(by.get('g')!.over5);
    expect(by.get('a')!.pooledOver5).toBe(by.get('pool')!.over5);
    expect(by.get('a')!.over5).toBeGreaterThan(by.get('a')!.pooledOver5!);
  });

  it('stop-loss cover narrows the spread for a small practice', () => {
    const small: RiskUnit[] = [{ key: 's', label: 's', kind: 'size', people: 3_000 }];
    const without = simulateRisk(small, defaultAssumptions, 20_000, 3)[0]!;
    const withCover = simulateRisk(
      small,
      { ...defaultAssumptions, stopLoss: 50_000 },
      20_000,
      3,
    )[0]!;
    expect(withCover.p95).toBeLessThan(without.p95);
    expect(withCover.over10).toBeLessThan(without.over10);
  });
});
