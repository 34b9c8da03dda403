// Wilson score confidence intervals for proportions, as PHEindicatormethods computes them.
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

export class StatsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsInputError';
  }
}

/**
 * Accepts confidence as a fraction (0.9–1) or a percentage (90–100), as PHEindicatormethods does,
 * and returns it as a fraction.
 */
export function normaliseConfidence(confidence: number): number {
  const fraction = confidence >= 90 && confidence <= 100 ? confidence / 100 : confidence;
  if (!(fraction >= 0.9 && fraction <= 1)) {
    throw new StatsInputError('confidence level must be between 90 and 100 or between 0.9 and 1');
  }
  return fraction;
}

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
