import { describe, expect, it } from 'vitest';
import {
  bodiesReportedTo,
  daysOpen,
  financialYearOf,
  monthYear,
  namesIn,
  publicBreachRegister,
  readBreach,
  readBreachUpdate,
  readOfficerDecision,
  type BreachRow,
} from './breaches.js';

const today = '2026-12-01';
const breach = {
  category: 'interests',
  occurredOn: '2026-05-01',
  identifiedOn: '2026-06-01',
  person: '',
  description: 'What happened',
  actionTaken: 'Investigated',
  reportedTo: '',
};
const fields = (r: { problems: { field: string }[] }) => r.problems.map((p) => p.field);

describe('recording a breach', () => {
  it('accepts a complete breach, the person being optional', () => {
    expect(readBreach(breach, today).value).toMatchObject({
      category: 'interests',
      personId: null,
      reportedTo: null,
    });
    expect(readBreach({ ...breach, person: '7' }, today).value?.personId).toBe(7);
  });

  it('refuses identification before the breach, and either date in the future', () => {
    expect(readBreach({ ...breach, identifiedOn: '2026-04-30' }, today).problems).toEqual([
      { field: 'identifiedOn', message: 'A breach cannot be identified before it happened' },
    ]);
    expect(readBreach({ ...breach, identifiedOn: breach.occurredOn }, today).problems).toEqual([]);
    expect(fields(readBreach({ ...breach, occurredOn: '2026-12-02' }, today))).toContain(
      'occurredOn',
    );
    expect(fields(readBreach({ ...breach, identifiedOn: '2026-12-02' }, today))).toEqual([
      'identifiedOn',
    ]);
  });

  it('names each bad field', () => {
    expect(
      fields(
        readBreach(
          {
            category: 'nonsense',
            occurredOn: '2026-02-30',
            identifiedOn: 'yesterday',
            person: 'abc',
            description: ' ',
            actionTaken: '',
            reportedTo: 'x'.repeat(301),
          },
          today,
        ),
      ),
    ).toEqual([
      'category',
      'occurredOn',
      'identifiedOn',
      'person',
      'description',
      'actionTaken',
      'reportedTo',
    ]);
  });
});

describe('following a breach up', () => {
  const update = {
    actionTaken: 'Decision re-taken',
    reportedTo: '',
    publicSummary: '',
    closedOn: '',
  };
  const names = ['Dr Ada Example', 'Cara Placeholder'];

  it('closes only on or after identification, not in the future, and only with a summary', () => {
    const summary = 'A member declared an interest late.';
    expect(
      readBreachUpdate(
        { ...update, publicSummary: summary, closedOn: '2026-06-01' },
        '2026-06-01',
        today,
        names,
      ).value,
    ).toMatchObject({ closedOn: '2026-06-01', publicSummary: summary });
    expect(
      fields(
        readBreachUpdate(
          { ...update, publicSummary: summary, closedOn: '2026-05-31' },
          '2026-06-01',
          today,
          names,
        ),
      ),
    ).toEqual(['closedOn']);
    expect(
      fields(
        readBreachUpdate(
          { ...update, publicSummary: summary, closedOn: '2026-12-02' },
          '2026-06-01',
          today,
          names,
        ),
      ),
    ).toEqual(['closedOn']);
    expect(
      readBreachUpdate({ ...update, closedOn: '2026-07-01' }, '2026-06-01', today, names).problems,
    ).toEqual([
      {
        field: 'publicSummary',
        message: 'Write the anonymised public summary before closing the breach',
      },
    ]);
    expect(readBreachUpdate(update, '2026-06-01', today, names).value?.closedOn).toBeNull();
  });

  it('refuses a public summary or action that names someone or gives contact details', () => {
    for (const text of [
      'dr example failed to declare',
      'Ada  Example took part',
      'cara placeholder',
    ])
      expect(
        fields(readBreachUpdate({ ...update, publicSummary: text }, '2026-06-01', today, names)),
      ).toEqual(['publicSummary']);
    expect(
      fields(
        readBreachUpdate(
          { ...update, publicSummary: 'Ask ada@example.org' },
          '2026-06-01',
          today,
          names,
        ),
      ),
    ).toEqual(['publicSummary']);
    expect(
      fields(
        readBreachUpdate(
          { ...update, publicSummary: 'Call 01632 960000' },
          '2026-06-01',
          today,
          names,
        ),
      ),
    ).toEqual(['publicSummary']);
    expect(
      fields(
        readBreachUpdate(
          { ...update, actionTaken: 'Dr Example retrained' },
          '2026-06-01',
          today,
          names,
        ),
      ),
    ).toEqual(['actionTaken']);
    // "for example" is not Dr Ada Example.
    expect(
      readBreachUpdate(
        { ...update, publicSummary: 'Hospitality, for example a dinner, was accepted.' },
        '2026-06-01',
        today,
        names,
      ).problems,
    ).toEqual([]);
  });
});

describe('what the public sees', () => {
  it('shows months, standard bodies only, and counts those under review by financial year', () => {
    const rows: BreachRow[] = [
      {
        id: 1,
        category: 'gifts',
        identified_on: '2026-03-14',
        action_taken: 'Repaid',
        reported_to: 'Audit committee and Dr Secret Name',
        public_summary: 'Hospitality accepted without approval.',
        closed_on: '2026-04-02',
      },
      {
        id: 2,
        category: 'interests',
        identified_on: '2026-05-10',
        action_taken: 'Investigating',
        reported_to: null,
        public_summary: null,
        closed_on: null,
      },
      {
        id: 3,
        category: 'decision',
        identified_on: '2026-11-01',
        action_taken: 'Re-taken',
        reported_to: 'NHS England; the guardian',
        public_summary: 'A decision was re-taken.',
        closed_on: null,
      },
    ];
    const r = publicBreachRegister(rows, today);
    expect(r.breaches.map((b) => b.reference)).toEqual([3, 1]);
    expect(r.breaches[1]).toMatchObject({
      identified: 'March 2026',
      financialYear: '2025/26',
      reportedTo: ['Audit committee'],
      closed: true,
      closedIn: 'April 2026',
    });
    expect(r.breaches[0]!.reportedTo).toEqual(['Conflicts of interest guardian', 'NHS England']);
    expect(JSON.stringify(r)).not.toContain('Secret');
    expect(JSON.stringify(r)).not.toContain('2026-03-14');
    expect(r.thisYear).toEqual({
      year: '2026/27',
      from: '2026-04-01',
      to: '2027-03-31',
      recorded: 2,
      published: 1,
      underReview: 1,
    });
    expect(r.years.map((y) => y.year)).toEqual(['2026/27', '2025/26']);
  });

  it('has an empty current year when nothing is recorded', () => {
    expect(publicBreachRegister([], today).thisYear).toMatchObject({ recorded: 0, underReview: 0 });
  });

  it('works out months, years and days open', () => {
    expect(monthYear('2027-01-31')).toBe('January 2027');
    expect(financialYearOf('2027-03-31').year).toBe('2026/27');
    expect(financialYearOf('2099-04-01').year).toBe('2099/00');
    expect(daysOpen('2026-11-01', null, today)).toBe(30);
    expect(daysOpen('2026-11-01', '2026-11-01', today)).toBe(0);
    expect(bodiesReportedTo(null)).toEqual([]);
    expect(namesIn('Mr Bloggs', ['Mr Joe Bloggs'])).toEqual(['Mr Joe Bloggs']);
  });
});

describe('a delegated officer’s decision', () => {
  const input = {
    person: '3',
    delegation: 'Scheme of delegation 4.2: contracts up to £250,000',
    title: 'Phlebotomy extension',
    decision: 'Extend by six months',
    rationale: 'Within budget',
    value: '£18,500.50',
    organisation: '',
    decidedOn: '2026-11-30',
  };
  it('reads pounds to exact pence, the value and organisation optional', () => {
    expect(readOfficerDecision(input, today).value).toMatchObject({
      personId: 3,
      valuePence: 1_850_050n,
      organisation: null,
    });
    expect(readOfficerDecision({ ...input, value: '' }, today).value?.valuePence).toBeNull();
  });
  it('refuses a future date, a negative value and missing text', () => {
    expect(fields(readOfficerDecision({ ...input, decidedOn: '2026-12-02' }, today))).toEqual([
      'decidedOn',
    ]);
    expect(fields(readOfficerDecision({ ...input, value: '-5' }, today))).toEqual(['value']);
    expect(
      fields(
        readOfficerDecision(
          { ...input, person: '', delegation: '', title: '', decision: '', rationale: '' },
          today,
        ),
      ),
    ).toEqual(['person', 'delegation', 'title', 'decision', 'rationale']);
  });
});
