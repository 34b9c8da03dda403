// Directly standardised rates (Dobson) and indirectly standardised ratios and rates, by age band.
import { asConfidenceList, noValue, StatsInputError, type Statistic } from './input.js';
import { byarsLower, byarsUpper, poissonLimits, type PoissonMethod } from './poisson.js';

/** The 2013 European Standard Population in 19 bands (0–4 … 90+), summing to 100,000. */
export const ESP2013 = [
  5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000,
  2500, 1500, 1000,
] as const;

/** PHEindicatormethods gives no directly standardised rate below this many events in total. */
export const DSR_MINIMUM_EVENTS = 10;

export type DsrStatistic = Statistic & { totalCount: number; totalPopulation: number };

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
/** Missing event counts in a band count as none, as in PHEindicatormethods. */
const eventsOrZero = (values: readonly (number | null)[]) => values.map((value) => value ?? 0);

function checkBands(counts: readonly unknown[], ...others: readonly (readonly unknown[])[]) {
  for (const other of others) {
    if (other.length !== counts.length) {
      throw new StatsInputError('every age band needs a count, a population and a standard');
    }
  }
}

function checkPopulations(populations: readonly number[], what: string) {
  if (populations.some((n) => !(n > 0))) {
    throw new StatsInputError(`${what} must all be greater than zero`);
  }
}

function checkEvents(events: readonly number[]) {
  if (events.some((x) => x < 0)) throw new StatsInputError('event counts must be zero or more');
}

/**
 * Dobson limits around a standardised rate: the Poisson (Byars) limits of the total count,
 * scaled by the rate's standard error per event.
 */
function dobson(
  rate: number,
  variance: number,
  totalCount: number,
  levels: number[],
  multiplier: number,
) {
  const scale = Math.sqrt(variance / totalCount);
  return levels.map((confidence) => ({
    confidence,
    lower: (rate + scale * ((byarsLower(totalCount, confidence) ?? 0) - totalCount)) * multiplier,
    upper: (rate + scale * (byarsUpper(totalCount, confidence) - totalCount)) * multiplier,
  }));
}

export interface DsrInput {
  events: readonly (number | null)[];
  populations: readonly number[];
  standard?: readonly number[];
  confidence?: number | number[];
  multiplier?: number;
}

/** Directly standardised rate with Dobson limits (2013 ESP by default); none below 10 events. */
export function directlyStandardisedRate(input: DsrInput): DsrStatistic {
  const standard = input.standard ?? ESP2013;
  const events = eventsOrZero(input.events);
  checkBands(events, input.populations, standard);
  checkEvents(events);
  checkPopulations(input.populations, 'populations');
  const totalCount = sum(events);
  const weightSum = sum(standard);
  const weights = standard.map((w, i) => w / input.populations[i]!);
  const rate = sum(events.map((x, i) => x * weights[i]!)) / weightSum;
  const variance = sum(events.map((x, i) => x * weights[i]! ** 2)) / weightSum ** 2;
  return withTotals(input, totalCount, sum(input.populations), (levels, multiplier) => ({
    value: rate * multiplier,
    noValueReason: null,
    limits: dobson(rate, variance, totalCount, levels, multiplier),
  }));
}

export interface NonIndependentDsrInput {
  /** People by how many events each had: frequency (1, 2, 3…) → people in each age band. */
  personsByFrequency: Record<number, readonly number[]>;
  populations: readonly number[];
  standard?: readonly number[];
  confidence?: number | number[];
  multiplier?: number;
}

/**
 * The same rate when one person can have several events: the variance grows with the square
 * of each person's event count (PHEindicatormethods' phe_dsr with independent_events = FALSE).
 */
export function directlyStandardisedRateNonIndependent(
  input: NonIndependentDsrInput,
): DsrStatistic {
  const standard = input.standard ?? ESP2013;
  const frequencies = Object.entries(input.personsByFrequency).map(([frequency, persons]) => ({
    frequency: Number(frequency),
    persons,
  }));
  const bands = input.populations.length;
  for (const { frequency, persons } of frequencies) {
    if (!(Number.isInteger(frequency) && frequency > 0)) {
      throw new StatsInputError('event frequencies must be whole numbers of 1 or more');
    }
    checkBands(persons, input.populations);
    checkEvents(persons);
  }
  checkBands(input.populations, standard);
  checkPopulations(input.populations, 'populations');
  const events = Array.from({ length: bands }, (_, i) =>
    sum(frequencies.map(({ frequency, persons }) => frequency * persons[i]!)),
  );
  const weightSum = sum(standard);
  const weights = standard.map((w, i) => w / input.populations[i]!);
  const rate = sum(events.map((x, i) => x * weights[i]!)) / weightSum;
  const variance = sum(
    frequencies.map(
      ({ frequency, persons }) =>
        frequency ** 2 * (sum(persons.map((p, i) => p * weights[i]! ** 2)) / weightSum ** 2),
    ),
  );
  const totalCount = sum(events);
  return withTotals(input, totalCount, sum(input.populations), (levels, multiplier) => ({
    value: rate * multiplier,
    noValueReason: null,
    limits: dobson(rate, variance, totalCount, levels, multiplier),
  }));
}

function withTotals(
  input: { confidence?: number | number[]; multiplier?: number },
  totalCount: number,
  totalPopulation: number,
  compute: (levels: number[], multiplier: number) => Statistic,
): DsrStatistic {
  const levels = asConfidenceList(input.confidence ?? 0.95);
  const statistic =
    totalCount < DSR_MINIMUM_EVENTS
      ? noValue(`fewer than ${DSR_MINIMUM_EVENTS} events in total`, levels)
      : compute(levels, input.multiplier ?? 100_000);
  return { ...statistic, totalCount, totalPopulation };
}

export interface IndirectInput {
  events: readonly (number | null)[];
  populations: readonly number[];
  referenceEvents: readonly number[];
  referencePopulations: readonly number[];
  confidence?: number | number[];
}

export type IndirectStatistic = Statistic & {
  observed: number;
  expected: number;
  method: PoissonMethod | null;
};

/** Observed events, and those expected if each age band had the reference population's rate. */
export function observedAndExpected(input: IndirectInput) {
  const events = eventsOrZero(input.events);
  checkBands(events, input.populations, input.referenceEvents, input.referencePopulations);
  checkEvents(events);
  checkEvents(input.referenceEvents);
  checkPopulations(input.referencePopulations, 'reference populations');
  if (input.populations.some((n) => n < 0)) {
    throw new StatsInputError('populations must be zero or more');
  }
  const expected = sum(
    input.populations.map(
      (n, i) => (n * input.referenceEvents[i]!) / input.referencePopulations[i]!,
    ),
  );
  return { observed: sum(events), expected };
}

/**
 * Indirectly standardised ratio O / E × `reference` (1 or 100) with exact limits below 10
 * observed events and Byars from 10.
 */
export function indirectlyStandardisedRatio(
  input: IndirectInput & { reference?: number },
): IndirectStatistic {
  const { observed, expected } = observedAndExpected(input);
  return scaledByExpected(observed, expected, input.reference ?? 1, input.confidence);
}

/** Indirectly standardised rate: the ratio times the reference population's crude rate. */
export function indirectlyStandardisedRate(
  input: IndirectInput & { multiplier?: number },
): IndirectStatistic & { referenceRate: number } {
  const { observed, expected } = observedAndExpected(input);
  const referenceRate =
    (sum(input.referenceEvents) / sum(input.referencePopulations)) * (input.multiplier ?? 100_000);
  return {
    ...scaledByExpected(observed, expected, referenceRate, input.confidence),
    referenceRate,
  };
}

/** O / E × scale with Poisson limits on O; no value when nothing is expected. */
export function scaledByExpected(
  observed: number,
  expected: number,
  scale: number,
  confidence: number | number[] = 0.95,
): IndirectStatistic {
  const levels = asConfidenceList(confidence);
  if (!(expected > 0)) {
    return { ...noValue('no events expected', levels), observed, expected, method: null };
  }
  const limits = levels.map((level) => {
    const counts = poissonLimits(observed, level);
    return {
      confidence: level,
      lower: counts.lower === null ? null : (counts.lower / expected) * scale,
      upper: (counts.upper / expected) * scale,
    };
  });
  return {
    value: (observed / expected) * scale,
    noValueReason: null,
    limits,
    observed,
    expected,
    method: poissonLimits(observed, levels[0]).method,
  };
}
