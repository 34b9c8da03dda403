// The demo group's illustrative procurement decisions, seeded with the rest of its governance demo
// (demo-governance.ts), with fictional names and dates relative to the seed day: the dermatology renewal
// decided at the past governing body meeting (direct award C), a competitive process for community
// diagnostics in its standstill, and an older any qualified provider qualification.
import type { Kysely } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Database } from '../platform/db/schema.js';
import { addDays } from './interests.js';
import { keyCriteria } from './procurement.js';
import type { ProcurementRoute } from './procurement.table.js';
import { isWorkingDay } from './working-days.js';

interface DemoProcurement {
  title: string;
  service: string;
  route: ProcurementRoute;
  valuePence: bigint;
  /** Days before the seed day (negative: after). */
  starts: number;
  ends: number;
  awardedTo: string;
  awardedToCode: string | null;
  decided: number;
  decidedBy: string;
  rationale: string;
  itemTitle?: string;
  intentionNotice: number | null;
  awardNotice: number | null;
  criteria: [string, number][];
  bidders: { name: string; code: string | null; scores: number[] }[];
  decisionMakers: [string, string | null, string | null][];
}

const psrWeights = (w: number[]) => keyCriteria.map((name, i) => [name, w[i]!] as [string, number]);

const procurements = (intentionDaysAgo: number): DemoProcurement[] => [
  {
    title: 'Renewal of the community dermatology contract (illustrative)',
    service: 'Community dermatology clinics and minor skin surgery',
    route: 'direct_award_c',
    valuePence: 184_000_000n, // £1,840,000.00 over two years
    starts: -31,
    ends: -31 - 730,
    awardedTo: 'University Hospitals Sussex NHS Foundation Trust',
    awardedToCode: 'RYR',
    decided: 30,
    decidedBy: 'Governing body (meeting in public)',
    rationale:
      'The existing provider meets the key criteria and performs well; the renewal makes no considerable change (Direct Award Process C) (illustrative).',
    itemTitle: 'Renewal of the dermatology service contract',
    intentionNotice: 28,
    awardNotice: 7,
    criteria: psrWeights([30, 25, 20, 15, 10]),
    bidders: [
      {
        name: 'University Hospitals Sussex NHS Foundation Trust',
        code: 'RYR',
        scores: [78, 70, 82, 66, 60],
      },
    ],
    decisionMakers: [
      ['Dr Ada Example', null, null],
      ['Cara Placeholder', null, null],
      ['Dev Fictional', null, null],
      [
        'Dr Bram Sample',
        'Honorary sessions in the trust’s dermatology clinic',
        'Declared at the item and left the room; took no part in the discussion or the decision',
      ],
    ],
  },
  {
    title: 'Community diagnostics: competitive process (illustrative)',
    service: 'Community non-obstetric ultrasound and echocardiography',
    route: 'competitive',
    valuePence: 325_000_000n, // £3,250,000.00 over three years
    starts: -60,
    ends: -60 - 1095,
    awardedTo: 'Example Imaging Partnership (fictional)',
    awardedToCode: null,
    decided: intentionDaysAgo + 2,
    decidedBy: 'Eve Testcase, accountable officer, under delegated authority',
    rationale:
      'Highest weighted score against the published key criteria; the evaluation panel’s moderated scores (illustrative).',
    intentionNotice: intentionDaysAgo,
    awardNotice: null,
    criteria: psrWeights([35, 25, 15, 15, 10]),
    bidders: [
      { name: 'Example Imaging Partnership (fictional)', code: null, scores: [80, 72, 70, 75, 60] },
      { name: 'Sample Diagnostics Ltd (fictional)', code: null, scores: [74, 80, 65, 60, 55] },
      { name: 'Placeholder Health CIC (fictional)', code: null, scores: [62, 68, 72, 80, 85] },
    ],
    decisionMakers: [
      ['Eve Testcase', null, null],
      ['Cara Placeholder', null, null],
      ['Dev Fictional', null, null],
      [
        'Dr Bram Sample',
        'Shareholding of 6% in Sample Diagnostics Ltd, a bidder',
        'Excluded from the evaluation panel and the decision; did not see the bids',
      ],
    ],
  },
  {
    title:
      'Adult hearing services for people aged 55 and over: any qualified provider (illustrative)',
    service: 'Adult hearing assessment and hearing aid fitting (age 55+)',
    route: 'aqp',
    valuePence: 42_000_000n, // £420,000.00 estimated over three years; no volume guaranteed
    starts: 1060,
    ends: 1060 - 1095,
    awardedTo: 'Placeholder Hearing Ltd (fictional)',
    awardedToCode: null,
    decided: 1090,
    decidedBy: 'Eve Testcase, accountable officer, under delegated authority',
    rationale:
      'Met the published qualification criteria (CQC registration, the NHS standard contract, the local pathway and quality standards) and joins the choice list at the local tariff (illustrative).',
    intentionNotice: null,
    awardNotice: 1080,
    criteria: [],
    bidders: [],
    decisionMakers: [['Eve Testcase', null, null]],
  },
];

/** Seeds the three illustrative procurements (inside the demo governance seed's transaction). */
export async function seedDemoProcurement(db: Kysely<Database>, group: Group, today: string) {
  const ago = (days: number) => addDays(today, -days);
  const at = new Date(`${today}T09:00:00Z`);
  const item = await db
    .selectFrom('gov_agenda_item')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .select('gov_agenda_item.id')
    .where('gov_committee.group_id', '=', group.id)
    .where('gov_agenda_item.title', '=', 'Renewal of the dermatology service contract')
    .executeTakeFirst();
  // The diagnostics notice of intention on the last working day at least 3 days ago: a few working
  // days of the 8 have passed, so the standstill is running over the seed day.
  let noticeDaysAgo = 3;
  while (!isWorkingDay(ago(noticeDaysAgo))) noticeDaysAgo += 1;
  for (const p of procurements(noticeDaysAgo)) {
    const row = await db
      .insertInto('gov_procurement')
      .values({
        group_id: group.id,
        title: p.title,
        service: p.service,
        route: p.route,
        value_pence: p.valuePence,
        contract_starts_on: ago(p.starts),
        contract_ends_on: ago(p.ends),
        awarded_to: p.awardedTo,
        awarded_to_code: p.awardedToCode,
        decided_on: ago(p.decided),
        decided_by: p.decidedBy,
        rationale: p.rationale,
        item_id: p.itemTitle ? (item?.id ?? null) : null,
        intention_notice_on: p.intentionNotice === null ? null : ago(p.intentionNotice),
        award_notice_on: p.awardNotice === null ? null : ago(p.awardNotice),
        illustrative: true,
        recorded_by: 'seed',
        recorded_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (p.criteria.length)
      await db
        .insertInto('gov_procurement_criterion')
        .values(
          p.criteria.map(([name, weight], i) => ({
            procurement_id: row.id,
            position: i + 1,
            name,
            weight,
          })),
        )
        .execute();
    for (const b of p.bidders) {
      const bidder = await db
        .insertInto('gov_procurement_bidder')
        .values({ procurement_id: row.id, name: b.name, organisation_code: b.code })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('gov_procurement_score')
        .values(b.scores.map((score, i) => ({ bidder_id: bidder.id, position: i + 1, score })))
        .execute();
    }
    for (const [name, conflict, managed] of p.decisionMakers) {
      const person = await db
        .selectFrom('gov_person')
        .select('id')
        .where('group_id', '=', group.id)
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('gov_procurement_decision_maker')
        .values({ procurement_id: row.id, person_id: person.id, conflict, managed })
        .execute();
    }
  }
}
