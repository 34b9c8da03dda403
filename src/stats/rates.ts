// Crude rates with Poisson limits (PHEindicatormethods' phe_rate).
import { asConfidenceList, noValue, StatsInputError, type Statistic } from './input.js';
import { poissonLimits, type PoissonMethod } from './poisson.js';

export type RateStatistic = Statistic & { method: PoissonMethod | null };

/**
 * x events in a population of n, per `multiplier` people: exact limits below 10 events, Byars
 * from 10. The numerator may exceed the denominator (repeat events). Missing input or a zero
 * population gives no value; negative input is refused.
 */
export function crudeRate(
  x: number | null | undefined,
  n: number | null | undefined,
  confidence: number | number[] = 0.95,
  multiplier = 100_000,
): RateStatistic {
  const levels = asConfidenceList(confidence);
  if (x === null || x === undefined || n === null || n === undefined) {
    return { ...noValue('missing numerator or denominator', levels), method: null };
  }
  if (x < 0) throw new StatsInputError('numerator must be zero or more');
  if (n < 0) throw new StatsInputError('denominator must be greater than zero');
  if (n === 0) return { ...noValue('denominator is zero', levels), method: null };
  const limits = levels.map((level) => {
    const counts = poissonLimits(x, level);
    return {
      confidence: level,
      lower: counts.lower === null ? null : (counts.lower / n) * multiplier,
      upper: (counts.upper / n) * multiplier,
    };
  });
  return {
    value: (x / n) * multiplier,
    noValueReason: null,
    limits,
    method: poissonLimits(x, levels[0]).method,
  };
}
