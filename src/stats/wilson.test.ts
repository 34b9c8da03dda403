import { describe, expect, it } from 'vitest';
import { normalQuantile } from './normal.js';
import { referenceCases, withinTolerance } from './reference-vectors.js';
import { StatsInputError } from './input.js';
import { proportionWithInterval, wilsonInterval } from './wilson.js';

describe('normalQuantile', () => {
  it('matches R qnorm at the levels used for 95% and 99.8% intervals', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
  });
});

describe('wilsonInterval against the PHEindicatormethods reference vectors', () => {
  const cases = referenceCases('wilson_score_ci');
  it('has reference cases to check', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { x, n, confidence } = c.inputs as { x: number; n: number; confidence: number };
    const result = wilsonInterval(x, n, confidence);
    expect(
      withinTolerance(result.lower, c.expected.lower as number, c.tolerance),
      `lower ${result.lower}`,
    ).toBe(true);
    expect(
      withinTolerance(result.upper, c.expected.upper as number, c.tolerance),
      `upper ${result.upper}`,
    ).toBe(true);
  });

  it('refuses impossible input with a typed error, never NaN', () => {
    expect(() => wilsonInterval(5, 0)).toThrow(StatsInputError);
    expect(() => wilsonInterval(-1, 10)).toThrow(StatsInputError);
    expect(() => wilsonInterval(11, 10)).toThrow(StatsInputError);
    expect(() => wilsonInterval(1, 10, 0.5)).toThrow(/between 90 and 100/);
    expect(wilsonInterval(65, 100, 95)).toEqual(wilsonInterval(65, 100, 0.95));
  });
});

describe('proportionWithInterval against the reference vectors', () => {
  const cases = referenceCases('proportion_wilson');
  it('has reference cases to check', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const inputs = c.inputs as {
      x?: number;
      n?: number;
      rows?: { x: number | null; n: number | null }[];
      confidence: number | number[];
      multiplier: number;
    };
    if (inputs.rows) {
      for (const row of inputs.rows) {
        const result = proportionWithInterval(
          row.x,
          row.n,
          inputs.confidence as number,
          inputs.multiplier,
        );
        expect(result.value).toBeNull();
        expect('reason' in result && result.reason).toBe('missing numerator or denominator');
      }
      return;
    }
    const levels = inputs.confidence as number[];
    for (const level of levels) {
      const result = proportionWithInterval(inputs.x, inputs.n, level, inputs.multiplier);
      if (result.value === null) throw new Error('expected a value');
      const suffix = level === 0.95 ? '95_0cl' : '99_8cl';
      expect(withinTolerance(result.value, c.expected.value as number, c.tolerance)).toBe(true);
      expect(
        withinTolerance(result.lower, c.expected[`lower${suffix}`] as number, c.tolerance),
        `lower ${level}`,
      ).toBe(true);
      expect(
        withinTolerance(result.upper, c.expected[`upper${suffix}`] as number, c.tolerance),
        `upper ${level}`,
      ).toBe(true);
    }
  });

  it('says why there is no value instead of computing one', () => {
    expect(proportionWithInterval(5, 0)).toMatchObject({
      value: null,
      reason: 'denominator is zero',
    });
    expect(proportionWithInterval(137, 132)).toMatchObject({
      value: null,
      reason: 'numerator exceeds denominator',
    });
  });
});
