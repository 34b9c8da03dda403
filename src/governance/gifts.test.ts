import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { poundsToPence } from '../platform/money.js';
import { giftThresholds, loadGiftThresholds, ruleOnOffer, thresholdsOn } from './gifts.js';

const p = (pounds: string) => poundsToPence(pounds);

describe('gifts and hospitality thresholds', () => {
  it('applies the 2017 table to the penny', () => {
    const t = thresholdsOn('2018-01-01');
    expect(t.version).toBe('2017');
    const gift = (v: string, fromSupplier: boolean) =>
      ruleOnOffer({ kind: 'gift', fromSupplier, valuePence: p(v) }, t);
    const hosp = (v: string) =>
      ruleOnOffer({ kind: 'hospitality', fromSupplier: false, valuePence: p(v) }, t);
    expect(gift('6.00', true)).toMatchObject({ may: 'accept', declare: false });
    expect(gift('6.01', true)).toMatchObject({ may: 'decline', declare: true });
    expect(gift('49.99', false)).toMatchObject({ may: 'accept', declare: false });
    expect(gift('50.00', false)).toMatchObject({
      may: 'accept only on behalf of the organisation',
      declare: true,
    });
    expect(hosp('24.99')).toMatchObject({ may: 'accept', declare: false });
    expect(hosp('25.00')).toMatchObject({ may: 'accept', declare: true, approvalNeeded: false });
    expect(hosp('75.00')).toMatchObject({ approvalNeeded: false });
    expect(hosp('75.01')).toMatchObject({ may: 'accept with approval', approvalNeeded: true });
  });

  it('uses the thresholds of the date of the offer', () => {
    expect(giftThresholds().map((t) => t.version)).toEqual(['2016', '2017']);
    const t2016 = thresholdsOn('2017-01-01');
    expect(t2016.otherGiftDeclareFromPounds).toBe('10');
    expect(
      ruleOnOffer({ kind: 'gift', fromSupplier: false, valuePence: p('20') }, t2016).declare,
    ).toBe(true);
  });

  it('refuses a rule file whose hospitality bands are the wrong way round', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flock-gifts-'));
    writeFileSync(
      path.join(dir, 'gifts-bad.json'),
      JSON.stringify({
        version: 'x',
        guidance: 'Some guidance text',
        source: 'Some source text',
        from: '2020-01-01',
        supplierGiftMaxPounds: '6',
        otherGiftDeclareFromPounds: '50',
        hospitalityDeclareFromPounds: '80',
        hospitalityApprovalAbovePounds: '75',
      }),
    );
    expect(() => loadGiftThresholds(dir)).toThrow(
      'governance-rules/gifts-bad.json: hospitalityApprovalAbovePounds',
    );
  });
});
