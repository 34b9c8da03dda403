import { describe, expect, it } from 'vitest';
import { poundsToPence } from '../platform/money.js';
import { checkPlan, ruleSets } from './business-rules.js';

describe('business rules as versioned data', () => {
  it('ships each year with a source for every figure and says which are not confirmed', () => {
    const sets = ruleSets();
    expect(sets.map((s) => s.year)).toEqual(['2013/14', '2014/15', '2015/16', '2016/17']);
    for (const s of sets)
      for (const r of Object.values(s.rules)) expect(r?.source.length).toBeGreaterThan(10);
    expect(sets[0]!.rules.nonRecurrentHeadroom?.confirmed).toBe(false);
    expect(sets[1]!.rules.runningCostPerHead?.value).toBe('24.73');
  });

  it('checks a plan and gives each breach with the rule, the figure and the gap, to the penny', () => {
    const year = ruleSets().find((s) => s.year === '2014/15')!;
    const checks = checkPlan(year, {
      allocationPence: poundsToPence('219307000'),
      plannedSurplusPence: poundsToPence('2193070'), // exactly 1%
      contingencyPence: poundsToPence('1000000'), // 0.5% would be £1,096,535
      nonRecurrentHeadroomPence: poundsToPence('6000000'), // 2.5% would be £5,482,675
      runningCostsPence: poundsToPence('5100000'), // £24.73 × 202,256 = £5,001,790.88
      registeredPopulation: 202_256,
    });
    const by = Object.fromEntries(checks.map((c) => [c.key, c]));
    expect(by.plannedSurplus!.passes).toBe(true);
    expect(by.contingency!).toMatchObject({
      passes: false,
      requiredPence: poundsToPence('1096535'),
      gapPence: poundsToPence('96535'),
    });
    expect(by.nonRecurrentHeadroom!.passes).toBe(true);
    expect(by.runningCostPerHead!).toMatchObject({
      passes: false,
      requiredPence: poundsToPence('5001790.88'),
      gapPence: poundsToPence('98209.12'),
    });
  });
});
