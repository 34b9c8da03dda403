// Behaviour the reference vectors do not pin down: no-value reasons, typed errors, rebasing, icons.
import { describe, expect, it } from 'vitest';
import { chiSquareQuantile } from './gamma.js';
import { StatsInputError } from './input.js';
import { crudeRate } from './rates.js';
import { assurance, variationIcon, xmrChart } from './spc.js';
import { directlyStandardisedRate, ESP2013, scaledByExpected } from './standardised.js';

describe('chi-square quantiles', () => {
  it('match R qchisq', () => {
    expect(chiSquareQuantile(0.025, 2)).toBeCloseTo(0.05063561596857975, 15);
    expect(chiSquareQuantile(0.975, 4)).toBeCloseTo(11.143286781877796, 12);
    expect(chiSquareQuantile(0.001, 2)).toBeCloseTo(-2 * Math.log(0.999), 15);
    expect(chiSquareQuantile(0.5, 0)).toBe(0);
  });
});

describe('no value, with a reason, instead of NaN', () => {
  it('crude rates', () => {
    expect(crudeRate(5, 0)).toMatchObject({ value: null, noValueReason: 'denominator is zero' });
    expect(crudeRate(null, 100)).toMatchObject({ value: null });
    expect(() => crudeRate(-1, 100)).toThrow(StatsInputError);
    expect(() => crudeRate(1, 100, 0.5)).toThrow(/between 90 and 100/);
  });

  it('directly standardised rates below 10 events', () => {
    const populations = ESP2013.map(() => 1000);
    const events = ESP2013.map((_, i) => (i === 18 ? 9 : 0));
    expect(directlyStandardisedRate({ events, populations })).toMatchObject({
      value: null,
      noValueReason: 'fewer than 10 events in total',
      totalCount: 9,
    });
    expect(() => directlyStandardisedRate({ events: [1, 2], populations })).toThrow(
      /every age band/,
    );
    expect(() =>
      directlyStandardisedRate({ events, populations: populations.map(() => 0) }),
    ).toThrow(/greater than zero/);
  });

  it('ratios with nothing expected', () => {
    expect(scaledByExpected(3, 0, 1)).toMatchObject({
      value: null,
      noValueReason: 'no events expected',
    });
  });
});

describe('XmR charts', () => {
  const before = [10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9];
  const after = before.map((v) => v + 10);

  it('rebasing starts fresh limits from the rebase point', () => {
    const chart = xmrChart([...before, ...after], { rebaseAt: [12] });
    expect(chart.segments).toHaveLength(2);
    expect(chart.segments[0]!.mean).toBeCloseTo(10.1667, 4);
    expect(chart.segments[1]!.mean).toBeCloseTo(20.1667, 4);
    expect(chart.points.every((p) => p.pointType === 'common_cause')).toBe(true);
  });

  it('without rebasing the shift is special cause, concern when lower is better', () => {
    const chart = xmrChart([...before, ...after], { improvementDirection: 'decrease' });
    expect(chart.points.at(-1)!.pointType).toBe('special_cause_concern');
    expect(variationIcon(chart)).toBe('concern-high');
    const improving = xmrChart([...before, ...after], { improvementDirection: 'increase' });
    expect(variationIcon(improving)).toBe('improvement-high');
  });

  it('assurance reads the latest limits the right way round for the direction', () => {
    expect(assurance({ lpl: 80, upl: 90 }, 95, 'increase')).toBe('consistent_fail');
    expect(assurance({ lpl: 80, upl: 90 }, 95, 'decrease')).toBe('consistent_pass');
    expect(assurance({ lpl: 80, upl: 90 }, 85, 'increase')).toBe('inconsistent');
    expect(assurance({ lpl: 80, upl: 90 }, null, 'increase')).toBeNull();
  });

  it('refuses a series it cannot chart', () => {
    expect(() => xmrChart([1])).toThrow(StatsInputError);
    expect(() => xmrChart([1, Number.NaN, 3])).toThrow(/finite/);
    expect(() => xmrChart([1, 2, 3], { rebaseAt: [5] })).toThrow(/rebase/);
  });
});
