import { describe, expect, it } from 'vitest';
import {
  addForecasts,
  forecast,
  monthsOfYear,
  periodLabel,
  phaseEvenly,
  qippRequirement,
  yearOfPeriod,
} from './budget.js';

describe('budget arithmetic', () => {
  it('names the twelve months of a financial year and the year of a month', () => {
    const months = monthsOfYear('2022/23');
    expect(months[0]).toBe('2022-04');
    expect(months[8]).toBe('2022-12');
    expect(months[9]).toBe('2023-01');
    expect(months[11]).toBe('2023-03');
    for (const m of months) expect(yearOfPeriod(m)).toBe('2022/23');
    expect(yearOfPeriod('2000-03')).toBe('1999/00');
    expect(periodLabel('2022-05')).toBe('May 2022');
  });

  it('phases a budget into whole pence that add up to it', () => {
    const phased = phaseEvenly(1_000_007n);
    expect(phased.reduce((s, x) => s + x, 0n)).toBe(1_000_007n);
    // 1,000,007 = 12 × 83,333 + 11: the first eleven months carry the odd pence.
    expect(phased.slice(0, 11).every((p) => p === 83_334n)).toBe(true);
    expect(phased[11]).toBe(83_333n);
  });

  it('forecasts by run-rate and by phased plan plus commitments, with the variance explained', () => {
    // £1,200 a year: £100 a month. Six months spent £110 each; a £50 commitment is known.
    const f = forecast({
      annualBudgetPence: 120_000n,
      actualPence: Array(6).fill(11_000n),
      commitmentsPence: 5_000n,
    });
    expect(f.budgetToDatePence).toBe(60_000n);
    expect(f.actualToDatePence).toBe(66_000n);
    expect(f.varianceToDatePence).toBe(6_000n);
    expect(f.runRatePence).toBe(132_000n);
    expect(f.runRateVariancePence).toBe(12_000n);
    expect(f.runRateRestOfYearPence).toBe(6_000n);
    expect(f.phasedPence).toBe(66_000n + 60_000n + 5_000n);
    expect(f.phasedVariancePence).toBe(11_000n);
    expect(f.phasedRestOfYearPence).toBe(5_000n);
    // Each method's variance is the variance to date plus the rest of the year.
    expect(f.varianceToDatePence + f.runRateRestOfYearPence).toBe(f.runRateVariancePence);
    expect(f.varianceToDatePence + f.phasedRestOfYearPence).toBe(f.phasedVariancePence);
    const total = addForecasts([f, f]);
    expect(total.phasedPence).toBe(2n * f.phasedPence);
  });

  it('rounds the run-rate to the penny, half away from zero', () => {
    const f = forecast({
      annualBudgetPence: 0n,
      actualPence: [1n, 0n, 0n, 0n, 0n, 0n, 0n],
      commitmentsPence: 0n,
    });
    expect(f.runRatePence).toBe(2n); // 12 ÷ 7 = 1.71 → 2
    expect(
      forecast({ annualBudgetPence: 500n, actualPence: [], commitmentsPence: 0n }).runRatePence,
    ).toBe(500n);
  });

  it('derives the QIPP requirement', () => {
    expect(
      qippRequirement({
        committedSpendPence: 100n,
        growthPence: 20n,
        rulesPence: 5n,
        allocationPence: 110n,
      }),
    ).toBe(15n);
    expect(
      qippRequirement({
        committedSpendPence: 100n,
        growthPence: 0n,
        rulesPence: 0n,
        allocationPence: 110n,
      }),
    ).toBe(0n);
  });
});
