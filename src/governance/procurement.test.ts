import { describe, expect, it } from 'vitest';
import {
  hundredthsText,
  anotherProvider,
  likelyProcurementConflicts,
  nameVariants,
  procurementStatus,
  rankBidders,
  routeInfo,
  standstillFor,
  weightedHundredths,
  weightsProblem,
  withoutLosingBidders,
} from './procurement.js';

describe('procurement weights and scores', () => {
  it('accepts weights totalling exactly 100 and names the difference otherwise', () => {
    expect(weightsProblem([30, 25, 20, 15, 10])).toBeNull();
    expect(weightsProblem([30, 25, 20, 15])).toBe(
      'The weights add up to 90%; they must total 100% (10 short)',
    );
    expect(weightsProblem([60, 50])).toBe(
      'The weights add up to 110%; they must total 100% (10 over)',
    );
    expect(weightsProblem([])).toMatch(/at least one/);
    expect(weightsProblem([100, 0])).toMatch(/whole number/);
    expect(weightsProblem([99.5, 0.5])).toMatch(/whole number/);
  });

  it('computes weighted totals exactly, in hundredths', () => {
    // 30×71 + 25×64 + 20×80 + 15×55 + 10×49 = 2130 + 1600 + 1600 + 825 + 490 = 6645 → 66.45
    expect(weightedHundredths([30, 25, 20, 15, 10], [71, 64, 80, 55, 49])).toBe(6645);
    expect(hundredthsText(6645)).toBe('66.45');
    expect(hundredthsText(10000)).toBe('100.00');
    expect(hundredthsText(5)).toBe('0.05');
    // Floats would drift here: 0.1×33 + 0.2×33 + 0.7×33 is not 33 in binary; hundredths are exact.
    expect(hundredthsText(weightedHundredths([10, 20, 70], [33, 33, 33])!)).toBe('33.00');
    expect(weightedHundredths([50, 50], [40, null])).toBeNull();
  });

  it('ranks bidders best first, ties sharing a rank, the unscored last', () => {
    const ranked = rankBidders(
      [60, 40],
      [
        { name: 'A', scores: [50, 50] }, // 50.00
        { name: 'B', scores: [70, 40] }, // 58.00
        { name: 'C', scores: [40, 65] }, // 50.00
        { name: 'D', scores: [null, 10] },
        { name: 'E', scores: [100, 0] }, // 60.00
      ],
    );
    expect(ranked.map((r) => [r.bidder.name, r.total, r.rank])).toEqual([
      ['E', '60.00', 1],
      ['B', '58.00', 2],
      ['A', '50.00', 3],
      ['C', '50.00', 3],
      ['D', null, null],
    ]);
  });
});

describe('standstill per route', () => {
  it('applies to direct award C, most suitable provider and competitive only', () => {
    const applying = Object.entries(routeInfo)
      .filter(([, r]) => r.standstill)
      .map(([k]) => k)
      .sort();
    expect(applying).toEqual(['competitive', 'direct_award_c', 'most_suitable_provider']);
    for (const route of ['aqp', 'direct_award_a', 'direct_award_b'] as const)
      expect(standstillFor(route, '2024-03-28').applies).toBe(false);
  });

  it('ends at the end of the 8th working day after the notice, past bank holidays', () => {
    // Thursday 28 March 2024: Good Friday and Easter Monday are not working days.
    expect(standstillFor('direct_award_c', '2024-03-28')).toMatchObject({
      applies: true,
      startsOn: '2024-03-29',
      endsOn: '2024-04-11',
    });
    // Thursday 27 August 2026: the summer bank holiday is Monday 31 August.
    expect(standstillFor('competitive', '2026-08-27').endsOn).toBe('2026-09-09');
    expect(standstillFor('most_suitable_provider', null)).toMatchObject({
      applies: true,
      endsOn: null,
    });
    expect(standstillFor('competitive', '2023-06-01').applies).toBe(false); // before the PSR
  });

  it('gives the status on a day', () => {
    const base = {
      route: 'competitive' as const,
      awardedTo: 'X Ltd',
      decidedOn: '2026-08-20',
      intentionNoticeOn: '2026-08-27',
      awardNoticeOn: null,
    };
    expect(procurementStatus(base, '2026-09-01')).toMatchObject({
      kind: 'standstill',
      text: 'Standstill until 2026-09-09',
    });
    expect(procurementStatus(base, '2026-09-10').kind).toBe('awarded');
    expect(procurementStatus({ ...base, awardNoticeOn: '2026-09-20' }, '2026-09-21').kind).toBe(
      'award notice published',
    );
    expect(
      procurementStatus(
        { ...base, awardedTo: null, decidedOn: null, intentionNoticeOn: null },
        '2026-09-01',
      ).kind,
    ).toBe('in evaluation');
  });
});

describe('likely conflicts in a procurement', () => {
  it('matches interests to bidders by ODS code, or by name', () => {
    const found = likelyProcurementConflicts(
      [
        { name: 'Sample Diagnostics Ltd', code: null },
        { name: 'University Hospitals Sussex NHS Foundation Trust', code: 'RYR' },
      ],
      [
        {
          personId: 1,
          counterpart: 'Sample Diagnostics Ltd (fictional)',
          counterpartCode: null,
          description: 'Shareholding',
        },
        { personId: 2, counterpart: 'UHSx', counterpartCode: 'RYR', description: 'Sessions' },
        { personId: 3, counterpart: 'Other Ltd', counterpartCode: 'XYZ', description: 'Director' },
      ],
    );
    expect([...found.keys()].sort()).toEqual([1, 2]);
    expect(found.get(1)![0]).toContain('Shareholding');
  });

  it('words the suggested conflict without naming a bidder not awarded', () => {
    const found = likelyProcurementConflicts(
      [
        { name: 'Sample Diagnostics Ltd (fictional)', code: null },
        { name: 'Example Imaging Partnership (fictional)', code: null, awardee: true },
      ],
      [
        {
          personId: 1,
          counterpart: 'Sample Diagnostics Ltd (fictional)',
          counterpartCode: null,
          description: 'Shareholding of 6%',
        },
        {
          personId: 2,
          counterpart: 'Example Imaging Partnership',
          counterpartCode: null,
          description: 'Partner',
        },
      ],
    );
    expect(found.get(1)).toEqual([
      'Declared interest in another provider evaluated: Shareholding of 6%',
    ]);
    expect(found.get(1)!.join()).not.toContain('Sample');
    expect(found.get(2)).toEqual([
      'Declared interest in Example Imaging Partnership (fictional), the provider awarded: Partner',
    ]);
  });
});

describe('publishing text about a procurement', () => {
  const bidders = [
    { name: 'Example Imaging Partnership (fictional)', code: null, awardee: true },
    { name: 'Sample Diagnostics Ltd (fictional)', code: 'AB1', awardee: false },
    { name: 'Placeholder Health CIC (fictional)', code: null, awardee: false },
  ];
  const awarded = { name: 'Example Imaging Partnership (fictional)', code: null };

  it('knows the usual ways a provider name is typed', () => {
    expect(nameVariants('Sample Diagnostics Ltd (fictional)')).toEqual([
      'Sample Diagnostics Ltd (fictional)',
      'Sample Diagnostics Ltd',
      'Sample Diagnostics',
    ]);
    expect(nameVariants('Placeholder Health Community Interest Company')).toEqual([
      'Placeholder Health Community Interest Company',
      'Placeholder Health',
    ]);
    expect(nameVariants('AB')).toEqual([]);
  });

  it('replaces every bidder not awarded, by name or ODS code, ignoring case', () => {
    expect(
      withoutLosingBidders(
        'Shareholding of 6% in Sample Diagnostics Ltd, a bidder',
        bidders,
        awarded,
      ),
    ).toBe(`Shareholding of 6% in ${anotherProvider}, a bidder`);
    expect(
      withoutLosingBidders(
        'Director of SAMPLE DIAGNOSTICS LTD (Fictional); adviser to placeholder health cic; code ab1',
        bidders,
        awarded,
      ),
    ).toBe(
      `Director of ${anotherProvider}; adviser to ${anotherProvider}; code ${anotherProvider}`,
    );
    expect(withoutLosingBidders('Sample  Diagnostics', bidders, awarded)).toBe(anotherProvider);
  });

  it('keeps the awarded provider and words that merely contain a name', () => {
    expect(
      withoutLosingBidders(
        'Partner in Example Imaging Partnership; the samples were diagnostic; tab1',
        bidders,
        awarded,
      ),
    ).toBe('Partner in Example Imaging Partnership; the samples were diagnostic; tab1');
    // A losing bidder's name inside the awardee's is left alone.
    expect(
      withoutLosingBidders(
        'Works for Sussex Health Partnership, not Sussex Health',
        [
          { name: 'Sussex Health Partnership', code: null, awardee: true },
          { name: 'Sussex Health', code: null, awardee: false },
        ],
        { name: 'Sussex Health Partnership', code: null },
      ),
    ).toBe(`Works for Sussex Health Partnership, not ${anotherProvider}`);
    // Before an award, no bidder is named.
    expect(
      withoutLosingBidders(
        'Shares in Example Imaging Partnership',
        bidders.map((b) => ({ ...b, awardee: false })),
        null,
      ),
    ).toBe(`Shares in ${anotherProvider}`);
  });
});
