// What every statistic checks first: confidence levels, and the typed error for impossible input.

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

/** A confidence limit pair at one level; `lower` is null where the method gives none (Byars below 0). */
export interface Limits {
  confidence: number;
  lower: number | null;
  upper: number | null;
}

/**
 * PHEindicatormethods' column names for limits: one level gives lowercl/uppercl, several give
 * lower95_0cl, upper99_8cl and so on.
 */
export function limitFieldNames(confidence: number, several: boolean) {
  if (!several) return { lower: 'lowercl', upper: 'uppercl' };
  const label = (confidence * 100).toFixed(1).replace('.', '_');
  return { lower: `lower${label}cl`, upper: `upper${label}cl` };
}

export function limitsAsFields(limits: Limits[]): Record<string, number | null> {
  const fields: Record<string, number | null> = {};
  for (const limit of limits) {
    const names = limitFieldNames(limit.confidence, limits.length > 1);
    fields[names.lower] = limit.lower;
    fields[names.upper] = limit.upper;
  }
  return fields;
}

export const asConfidenceList = (confidence: number | number[]) =>
  (Array.isArray(confidence) ? confidence : [confidence]).map(normaliseConfidence);

/** A value with its confidence limits, or no value and the reason (never NaN). */
export interface Statistic {
  value: number | null;
  noValueReason: string | null;
  limits: Limits[];
}

export function noValue(reason: string, confidences: number[]): Statistic {
  return {
    value: null,
    noValueReason: reason,
    limits: confidences.map((confidence) => ({ confidence, lower: null, upper: null })),
  };
}
