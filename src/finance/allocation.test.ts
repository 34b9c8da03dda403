import { describe, expect, it } from 'vitest';
import { poundsToPence } from '../platform/money.js';
import { distanceFromTarget, fairShares, millionths, thousandsOfPounds } from './allocation.js';

describe('distance from target', () => {
  // NHS England Gateway 00337, Annex A (2013/14 working paper): NHS Eastern Cheshire CCG (01C).
  const easternCheshire = { rawPopulation: 202_256, weightedPopulation: 208_986 };

  it('reproduces the Eastern Cheshire worked example from its published target', () => {
    const r = distanceFromTarget({
      ...easternCheshire,
      allocationPence: poundsToPence('219307000'),
      targetPence: poundsToPence('237285000'),
    });
    expect(thousandsOfPounds(r.distancePence)).toBe(-17_978);
    expect(r.distancePence).toBe(poundsToPence('-17978000'));
    expect(r.distancePercent.toFixed(2)).toBe('-7.58');
    expect(thousandsOfPounds(r.allocationPerHeadPence * 1000n)).toBe(1_084);
    expect(thousandsOfPounds(r.targetPerHeadPence * 1000n)).toBe(1_173);
  });

  it('reproduces it to the pound from a national amount per weighted head', () => {
    const r = distanceFromTarget({
      ...easternCheshire,
      allocationPence: poundsToPence('219307000'),
      perWeightedHeadPence: poundsToPence('1135.41'),
    });
    // 208,986 × £1,135.41 = £237,284,794.26, which the paper prints as £237,285k.
    expect(r.targetPence).toBe(23_728_479_426n);
    expect(thousandsOfPounds(r.targetPence)).toBe(237_285);
    expect(thousandsOfPounds(r.distancePence)).toBe(-17_978);
    expect(r.distancePercent.toFixed(2)).toBe('-7.58');
  });

  it('refuses a negative allocation and a missing target', () => {
    expect(() =>
      distanceFromTarget({ ...easternCheshire, allocationPence: -1n, targetPence: 1n }),
    ).toThrow('must not be negative');
    expect(() => distanceFromTarget({ ...easternCheshire, allocationPence: 1n })).toThrow(
      'give the target',
    );
  });
});

describe('fair shares', () => {
  it('splits to the penny and adds up exactly', () => {
    const shares = fairShares(100n, [1, 1, 1]);
    expect(shares).toEqual([34n, 33n, 33n]);
    const many = fairShares(poundsToPence('237285000'), ['1000.5', '2000.25', '0', '12345.678901']);
    expect(many.reduce((s, x) => s + x, 0n)).toBe(poundsToPence('237285000'));
    expect(many[2]).toBe(0n);
  });

  it('reads weighted populations exactly to the millionth', () => {
    expect(millionths('208986.4')).toBe(208_986_400_000n);
    expect(millionths(0.1234567)).toBe(123_457n);
  });
});
