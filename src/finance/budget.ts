// Budgets, actuals and forecast outturn: exact pence arithmetic, no I/O. Method: docs/methods.md, "Budget and forecast".
import { divideRounded } from './allocation.js';

/** The twelve ledger months of a financial year, April first: "2022/23" → ["2022-04", …, "2023-03"]. */
export function monthsOfYear(year: string): string[] {
  const start = Number(year.slice(0, 4));
  return Array.from({ length: 12 }, (_, i) => {
    const month = ((i + 3) % 12) + 1;
    return `${i < 9 ? start : start + 1}-${String(month).padStart(2, '0')}`;
  });
}

/** The financial year a ledger month falls in: "2023-02" → "2022/23". */
export function yearOfPeriod(period: string): string {
  const y = Number(period.slice(0, 4));
  const start = Number(period.slice(5, 7)) >= 4 ? y : y - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
/** "2022-05" → "May 2022". */
export const periodLabel = (period: string) =>
  `${monthNames[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;

/**
 * An amount spread evenly over n months in whole pence that add up to it exactly; the odd pence go to
 * the first months (a negative amount spreads the same way, negated).
 */
export function spreadEvenly(pence: bigint, n: number): bigint[] {
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  const base = abs / BigInt(n);
  const rest = Number(abs - base * BigInt(n));
  return Array.from({ length: n }, (_, i) => {
    const v = base + (i < rest ? 1n : 0n);
    return negative ? -v : v;
  });
}

/** An annual budget phased evenly over the twelve months. */
export const phaseEvenly = (annualPence: bigint) => spreadEvenly(annualPence, 12);

const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

export interface ForecastInput {
  annualBudgetPence: bigint;
  /** Actual spend in each month with actuals, April first (length = months elapsed). */
  actualPence: readonly bigint[];
  /** Known commitments for the rest of the year not in the phased plan (may be negative). */
  commitmentsPence: bigint;
}

export interface Forecast {
  monthsElapsed: number;
  budgetToDatePence: bigint;
  actualToDatePence: bigint;
  /** Actual − budget to date: positive is an overspend. */
  varianceToDatePence: bigint;
  /** Run-rate: the average month so far, for all twelve months. */
  runRatePence: bigint;
  /** Phased plan plus commitments: actual to date + the rest of the phased budget + commitments. */
  phasedPence: bigint;
  runRateVariancePence: bigint;
  phasedVariancePence: bigint;
  /** How each method's full-year variance arises: the variance to date, then the rest of the year. */
  runRateRestOfYearPence: bigint;
  phasedRestOfYearPence: bigint;
}

/** Forecast outturn for one line by the two methods, each variance split into "to date" and "rest of year". */
export function forecast({
  annualBudgetPence,
  actualPence,
  commitmentsPence,
}: ForecastInput): Forecast {
  const m = actualPence.length;
  if (m > 12) throw new Error('a year has twelve months of actuals at most');
  const phased = phaseEvenly(annualBudgetPence);
  const budgetToDate = sum(phased.slice(0, m));
  const actualToDate = sum(actualPence);
  const remainingBudget = annualBudgetPence - budgetToDate;
  const runRate = m === 0 ? annualBudgetPence : divideRounded(actualToDate * 12n, BigInt(m));
  const phasedForecast = actualToDate + remainingBudget + commitmentsPence;
  const varianceToDate = actualToDate - budgetToDate;
  return {
    monthsElapsed: m,
    budgetToDatePence: budgetToDate,
    actualToDatePence: actualToDate,
    varianceToDatePence: varianceToDate,
    runRatePence: runRate,
    phasedPence: phasedForecast,
    runRateVariancePence: runRate - annualBudgetPence,
    phasedVariancePence: phasedForecast - annualBudgetPence,
    runRateRestOfYearPence: runRate - annualBudgetPence - varianceToDate,
    phasedRestOfYearPence: commitmentsPence,
  };
}

/** Adds forecasts line by line (every field is a sum), for programme and group totals. */
export function addForecasts(parts: readonly Forecast[]): Forecast {
  const total = (k: Exclude<keyof Forecast, 'monthsElapsed'>) => sum(parts.map((p) => p[k]));
  return {
    monthsElapsed: parts[0]?.monthsElapsed ?? 0,
    budgetToDatePence: total('budgetToDatePence'),
    actualToDatePence: total('actualToDatePence'),
    varianceToDatePence: total('varianceToDatePence'),
    runRatePence: total('runRatePence'),
    phasedPence: total('phasedPence'),
    runRateVariancePence: total('runRateVariancePence'),
    phasedVariancePence: total('phasedVariancePence'),
    runRateRestOfYearPence: total('runRateRestOfYearPence'),
    phasedRestOfYearPence: total('phasedRestOfYearPence'),
  };
}

export interface QippRequirementInput {
  committedSpendPence: bigint;
  growthPence: bigint;
  /** What the year's rules set aside: surplus + contingency + non-recurrent headroom. */
  rulesPence: bigint;
  allocationPence: bigint;
}

/** Savings needed to live within the allocation: committed spend + growth + rules − allocation (never below 0). */
export function qippRequirement(i: QippRequirementInput): bigint {
  const need = i.committedSpendPence + i.growthPence + i.rulesPence - i.allocationPence;
  return need > 0n ? need : 0n;
}
