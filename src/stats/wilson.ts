// Wilson score confidence intervals for proportions, as PHEindicatormethods computes them.
import {
  asConfidenceList,
  normaliseConfidence,
  noValue,
  StatsInputError,
  type Statistic,
} from './input.js';
import { twoSidedZ } from './normal.js';

export interface Interval {
  lower: number;
  upper: number;
}

/** Why a proportion has no value (shown instead of a number, never NaN). */
export type NoValueReason =
  | 'missing numerator or denominator'
  | 'denominator is zero'
  | 'numerator is negative'
  | 'numerator exceeds denominator';

/** Wilson score interval for x events out of n (x may be fractional, as in the reference tests). */
export function wilsonInterval(x: number, n: number, confidence = 0.95): Interval {
  const level = normaliseConfidence(confidence);
  if (!(n > 0)) throw new StatsInputError('denominator must be greater than zero');
  if (x < 0) throw new StatsInputError('numerator must be zero or more');
  if (x > n) throw new StatsInputError('numerator must not exceed denominator');
  if (level === 1) return { lower: 0, upper: 1 };
  const z = twoSidedZ(level);
  const z2 = z * z;
  const spread = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  const denominator = 2 * (n + z2);
  return {
    lower: Math.max(0, (2 * x + z2 - spread) / denominator),
    upper: Math.min(1, (2 * x + z2 + spread) / denominator),
  };
}

export type ProportionResult =
  | { value: number; lower: number; upper: number; x: number; n: number }
  | { value: null; reason: NoValueReason; x: number | null; n: number | null };

/** A proportion with its Wilson interval, or "no value" with the reason. */
export function proportionWithInterval(
  x: number | null | undefined,
  n: number | null | undefined,
  confidence = 0.95,
  multiplier = 1,
): ProportionResult {
  if (x === null || x === undefined || n === null || n === undefined) {
    return { value: null, reason: 'missing numerator or denominator', x: x ?? null, n: n ?? null };
  }
  if (n === 0) return { value: null, reason: 'denominator is zero', x, n };
  if (x < 0) return { value: null, reason: 'numerator is negative', x, n };
  if (x > n) return { value: null, reason: 'numerator exceeds denominator', x, n };
  const interval = wilsonInterval(x, n, confidence);
  return {
    value: (x / n) * multiplier,
    lower: interval.lower * multiplier,
    upper: interval.upper * multiplier,
    x,
    n,
  };
}

/**
 * PHEindicatormethods' phe_proportion: x / n × multiplier with Wilson limits at each level;
 * missing or impossible input gives no value and the reason.
 */
export function proportion(
  x: number | null | undefined,
  n: number | null | undefined,
  confidence: number | number[] = 0.95,
  multiplier = 1,
): Statistic {
  const levels = asConfidenceList(confidence);
  const single = proportionWithInterval(x, n, levels[0], multiplier);
  if (single.value === null) return noValue(single.reason, levels);
  return {
    value: single.value,
    noValueReason: null,
    limits: levels.map((level) => {
      const interval = wilsonInterval(x!, n!, level);
      return {
        confidence: level,
        lower: interval.lower * multiplier,
        upper: interval.upper * multiplier,
      };
    }),
  };
}
