// Confidence limits for Poisson counts: Byars' approximation, and exact limits from the chi-square.
import { chiSquareQuantile } from './gamma.js';
import { normaliseConfidence, StatsInputError } from './input.js';
import { twoSidedZ } from './normal.js';

/** Below this many events PHEindicatormethods uses exact limits; from it, Byars. */
export const EXACT_BELOW = 10;

export type PoissonMethod = 'Exact' | 'Byars';

function checkCount(x: number) {
  if (!(x >= 0)) throw new StatsInputError('observed events must be zero or more');
}

/** Byars' lower limit for a count; null where the approximation goes below zero (tiny counts). */
export function byarsLower(x: number, confidence = 0.95): number | null {
  checkCount(x);
  const z = twoSidedZ(normaliseConfidence(confidence));
  const lower = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
  return lower >= 0 ? lower : null;
}

export function byarsUpper(x: number, confidence = 0.95): number {
  checkCount(x);
  const z = twoSidedZ(normaliseConfidence(confidence));
  return (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * Math.sqrt(x + 1))) ** 3;
}

/** Exact (Garwood) lower limit: half the chi-square quantile on 2x degrees of freedom. */
export function exactLower(x: number, confidence = 0.95): number {
  checkCount(x);
  const level = normaliseConfidence(confidence);
  return chiSquareQuantile((1 - level) / 2, 2 * x) / 2;
}

export function exactUpper(x: number, confidence = 0.95): number {
  checkCount(x);
  const level = normaliseConfidence(confidence);
  return chiSquareQuantile(level + (1 - level) / 2, 2 * x + 2) / 2;
}

/** Limits for a count: exact below 10 events, Byars from 10, as PHEindicatormethods does. */
export function poissonLimits(x: number, confidence = 0.95) {
  if (x < EXACT_BELOW) {
    return {
      lower: exactLower(x, confidence),
      upper: exactUpper(x, confidence),
      method: 'Exact' as PoissonMethod,
    };
  }
  return {
    lower: byarsLower(x, confidence),
    upper: byarsUpper(x, confidence),
    method: 'Byars' as PoissonMethod,
  };
}
