// Funnel-plot control limits and significance for proportions, ratios and rates (PHE Fingertips).
import { StatsInputError } from './input.js';
import { normalQuantile } from './normal.js';
import { byarsLower, byarsUpper, EXACT_BELOW, exactLower, exactUpper } from './poisson.js';

/** The two funnel levels: 95% ("2 sigma", p = 0.025 each side) and 99.8% ("3 sigma", p = 0.001). */
export const FUNNEL_LEVELS = [
  { name: '2s', confidence: 0.95 },
  { name: '3s', confidence: 0.998 },
] as const;

export type FunnelSignificance =
  | 'High (0.001)'
  | 'High (0.025)'
  | 'Low (0.001)'
  | 'Low (0.025)'
  | 'Not significant'
  | 'Not applicable for events less than 10 for dsrs';

export interface FunnelLimits {
  lower2s: number;
  upper2s: number;
  lower3s: number;
  upper3s: number;
  baseline: number;
}

/**
 * Proportion limits at a denominator: the observed proportions whose Wilson interval just
 * touches the average, p ± z·√(p(1−p)/n). Clipped to 0 and 100 as PHEindicatormethods does
 * (its 100 is fixed whatever the multiplier; we keep that, see docs/methods.md).
 */
export function proportionFunnelLimits(
  population: number,
  averageProportion: number,
  multiplier = 100,
): FunnelLimits {
  if (!(population > 0)) throw new StatsInputError('population must be greater than zero');
  if (!(averageProportion >= 0 && averageProportion <= 1)) {
    throw new StatsInputError('average proportion must be between 0 and 1');
  }
  const limit = (confidence: number, side: -1 | 1) => {
    const z = normalQuantile(0.5 + confidence / 2);
    const spread = z * Math.sqrt((averageProportion * (1 - averageProportion)) / population);
    const value = (averageProportion + side * spread) * multiplier;
    return side < 0 ? Math.max(0, value) : Math.min(100, value);
  };
  return {
    lower2s: limit(0.95, -1),
    upper2s: limit(0.95, 1),
    lower3s: limit(0.998, -1),
    upper3s: limit(0.998, 1),
    baseline: averageProportion * multiplier,
  };
}

function unclippedProportionLimit(n: number, p: number, confidence: number, side: -1 | 1) {
  const z = normalQuantile(0.5 + confidence / 2);
  return p + side * z * Math.sqrt((p * (1 - p)) / n);
}

/** Where x out of n sits against the average proportion's funnel. */
export function proportionSignificance(
  numerator: number,
  denominator: number,
  averageProportion: number,
): FunnelSignificance {
  if (numerator < 0) throw new StatsInputError('numerator must be zero or more');
  if (!(denominator > 0)) throw new StatsInputError('denominator must be greater than zero');
  if (numerator > denominator) {
    throw new StatsInputError('numerator must not exceed denominator for a proportion');
  }
  const q = numerator / denominator;
  const limit = (confidence: number, side: -1 | 1) =>
    unclippedProportionLimit(denominator, averageProportion, confidence, side);
  if (q < limit(0.998, -1)) return 'Low (0.001)';
  if (q < limit(0.95, -1)) return 'Low (0.025)';
  if (q > limit(0.998, 1)) return 'High (0.001)';
  if (q > limit(0.95, 1)) return 'High (0.025)';
  return 'Not significant';
}

/**
 * For O observed events, the expected counts at which O would sit exactly on each funnel
 * limit: the exact Poisson limits of O (PHEindicatormethods finds the same by bisection).
 */
export function expectedAtLimits(observed: number) {
  if (!(observed > 0)) throw new StatsInputError('observed events must be greater than zero');
  return {
    lower2s: exactUpper(observed, 0.95),
    upper2s: exactLower(observed, 0.95),
    lower3s: exactUpper(observed, 0.998),
    upper3s: exactLower(observed, 0.998),
  };
}

/** Ratio funnel at O observed events: limits as O / E × multiplier (100 for a ratio shown as %). */
export function ratioFunnelLimits(observed: number, multiplier = 100) {
  const expected = expectedAtLimits(observed);
  const ratio = (e: number) => (observed / e) * multiplier;
  return {
    expected,
    lower2s: ratio(expected.lower2s),
    upper2s: ratio(expected.upper2s),
    lower3s: ratio(expected.lower3s),
    upper3s: ratio(expected.upper3s),
    baseline: multiplier,
  };
}

/**
 * Rate funnel at a number of events, for an average rate per person: the population (per
 * year of data) at which those events sit on each limit, and the limit as a rate.
 */
export function rateFunnelLimits(
  events: number,
  averageRatePerPerson: number,
  multiplier = 100_000,
  yearsOfData = 1,
) {
  if (!(averageRatePerPerson > 0)) {
    throw new StatsInputError('average rate must be greater than zero');
  }
  if (!(yearsOfData > 0)) throw new StatsInputError('years of data must be greater than zero');
  const expected = expectedAtLimits(events);
  const at = (e: number) => {
    const population = e / averageRatePerPerson;
    return { population1Year: population / yearsOfData, limit: (events / population) * multiplier };
  };
  return {
    lower2s: at(expected.lower2s),
    upper2s: at(expected.upper2s),
    lower3s: at(expected.lower3s),
    upper3s: at(expected.upper3s),
    baseline: averageRatePerPerson * multiplier,
  };
}

/** Poisson limits of a ratio O / E; the lower limit is 0 when nothing was observed. */
function ratioLimit(observed: number, expected: number, confidence: number, side: -1 | 1) {
  if (side < 0) {
    if (observed === 0) return 0;
    const count =
      observed < EXACT_BELOW ? exactLower(observed, confidence) : byarsLower(observed, confidence);
    return (count ?? 0) / expected;
  }
  const count =
    observed < EXACT_BELOW ? exactUpper(observed, confidence) : byarsUpper(observed, confidence);
  return count / expected;
}

function significanceAgainst(target: number, observed: number, expected: number) {
  if (target < ratioLimit(observed, expected, 0.998, -1)) return 'High (0.001)';
  if (target < ratioLimit(observed, expected, 0.95, -1)) return 'High (0.025)';
  if (target > ratioLimit(observed, expected, 0.998, 1)) return 'Low (0.001)';
  if (target > ratioLimit(observed, expected, 0.95, 1)) return 'Low (0.025)';
  return 'Not significant';
}

/** Whether O observed against E expected is significantly different from 1. */
export function ratioSignificance(observed: number, expected: number): FunnelSignificance {
  if (observed < 0) throw new StatsInputError('observed events must be zero or more');
  if (!(expected > 0)) throw new StatsInputError('expected events must be greater than zero');
  return significanceAgainst(1, observed, expected);
}

export interface RateSignificanceInput {
  numerator: number;
  /** The area's rate per `multiplier`; may be missing when there were no events. */
  rate: number | null;
  denominator?: number | null;
  rateType: 'dsr' | 'crude';
  multiplier: number;
  /** Sum of events ÷ sum of derived denominators, over the areas on the plot. */
  weightedAveragePerPerson: number;
}

/** The population implied by a rate (events ÷ rate × multiplier), as PHE funnels derive it. */
export function derivedDenominator(input: Omit<RateSignificanceInput, 'weightedAveragePerPerson'>) {
  if (input.numerator === 0) {
    return input.rateType === 'crude' ? (input.denominator ?? null) : null;
  }
  if (!input.rate) return null;
  return (input.numerator / input.rate) * input.multiplier;
}

/** Whether an area's rate differs from the plot's weighted average; DSRs need 10 events. */
export function rateSignificance(input: RateSignificanceInput): FunnelSignificance {
  if (input.numerator < 0) throw new StatsInputError('numerator must be zero or more');
  if (input.rateType === 'dsr' && input.numerator < EXACT_BELOW) {
    return 'Not applicable for events less than 10 for dsrs';
  }
  const denominator = derivedDenominator(input);
  if (!(denominator !== null && denominator > 0)) {
    throw new StatsInputError('a rate or denominator greater than zero is needed');
  }
  return significanceAgainst(input.weightedAveragePerPerson, input.numerator, denominator);
}
