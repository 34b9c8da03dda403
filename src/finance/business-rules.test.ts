import { describe, expect, it } from 'vitest';
import { poundsToPence } from '../platform/money.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkPlan, loadRuleSets, rulesForYear, ruleSets } from './business-rules.js';

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

  it('refuses a rule file with a percentage out of range, naming the file and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flock-rules-'));
    const rule = {
      kind: 'percent',
      comparison: 'at least',
      value: '150',
      source: 'A source of ten or more characters',
      confirmed: true,
    };
    writeFileSync(
      path.join(dir, '2030-31.json'),
      JSON.stringify({ year: '2030/31', note: '', rules: { contingency: rule } }),
    );
    expect(() => loadRuleSets(dir)).toThrow(
      'finance-rules/2030-31.json: rules.contingency.value: a percentage must be between 0 and 100',
    );
  });

  it('carries each rule forward from the latest year that sets it when a year has none', () => {
    const r = rulesForYear('2022/23')!;
    expect(r.carriedForward).toBe(true);
    expect(r.ruleYears).toEqual({
      plannedSurplus: '2016/17',
      contingency: '2016/17',
      nonRecurrentHeadroom: '2016/17',
      runningCostPerHead: '2015/16',
    });
    expect(r.rules.rules.runningCostPerHead?.value).toBe('22.07');
    expect(rulesForYear('2014/15')!.carriedForward).toBe(false);
    expect(rulesForYear('2000/01')).toBeUndefined();
  });
});
