// The demo group's illustrative governing body, committee members and register of interests, with
// obviously fictional names and dates relative to the day it is seeded. Labelled illustrative.
import { sql, type Kysely } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import { audit, systemActor } from '../platform/audit/audit.service.js';
import type { Database } from '../platform/db/schema.js';
import type { AppointmentRole } from './governance.table.js';
import { ruleOnOffer, thresholdsOn } from './gifts.js';
import { addDays, type InterestCategory } from './interests.js';
import { seedDemoVotes } from './demo-votes.js';
import { seedDemoProcurement } from './demo-procurement.js';
import { seedDemoBreaches } from './demo-breaches.js';

interface DemoPerson {
  name: string;
  email: string;
  appointments: {
    body: string;
    role: AppointmentRole;
    guardian?: boolean;
    voting: boolean;
    decisionMaker: boolean;
    /** Days before the seed date. */
    since: number;
  }[];
  nilReturn?: number;
  interests: {
    category: InterestCategory;
    counterpart: string;
    counterpartCode?: string;
    /** Each version: description, days-ago it arose, was declared, ended (null: continuing), action. */
    versions: {
      description: string;
      arose: number;
      declared: number;
      ended: number | null;
      action: string;
    }[];
  }[];
}

const GB = 'Governing body';
const PCC = 'Primary care commissioning committee';

const people: DemoPerson[] = [
  {
    name: 'Dr Ada Example',
    email: 'ada.example@example.org',
    appointments: [{ body: GB, role: 'chair', voting: true, decisionMaker: true, since: 900 }],
    interests: [
      {
        category: 'financial',
        counterpart: 'Example Coast GP Federation Ltd (fictional)',
        versions: [
          {
            description:
              'Director and shareholder of the local GP federation, which holds the extended-access contract',
            arose: 1200,
            declared: 890,
            ended: null,
            action:
              'Leaves the room for any item on the federation’s contracts; does not chair them',
          },
        ],
      },
      {
        category: 'non_financial_professional',
        counterpart: 'A member practice',
        versions: [
          {
            description: 'GP partner at a member practice',
            arose: 3000,
            declared: 890,
            ended: null,
            action: 'No action: declared; as for every practice',
          },
        ],
      },
    ],
  },
  {
    name: 'Dr Bram Sample',
    email: 'bram.sample@example.org',
    appointments: [
      { body: GB, role: 'clinical_director', voting: true, decisionMaker: true, since: 700 },
    ],
    interests: [
      {
        category: 'financial',
        counterpart: 'Sample Diagnostics Ltd (fictional)',
        versions: [
          {
            description: 'Shareholding of 3% in a provider of community diagnostics',
            arose: 800,
            declared: 690,
            ended: null,
            action: 'May observe but not decide on diagnostics items',
          },
          {
            description:
              'Shareholding raised to 6% (a controlling interest above 5%) in a provider of community diagnostics',
            arose: 800,
            declared: 200,
            ended: null,
            action: 'Leaves the room for diagnostics items',
          },
        ],
      },
      {
        category: 'non_financial_professional',
        counterpart: 'University Hospitals Sussex NHS Foundation Trust',
        counterpartCode: 'RYR',
        versions: [
          {
            description: 'Honorary sessions in the trust’s dermatology clinic',
            arose: 400,
            declared: 390,
            ended: null,
            action: 'May observe but not decide on the trust’s contract',
          },
        ],
      },
    ],
  },
  {
    name: 'Cara Placeholder',
    email: 'cara.placeholder@example.org',
    appointments: [
      {
        body: GB,
        role: 'lay_member',
        guardian: true,
        voting: true,
        decisionMaker: true,
        since: 1000,
      },
      { body: PCC, role: 'chair', voting: true, decisionMaker: true, since: 800 },
    ],
    nilReturn: 300,
    interests: [],
  },
  {
    name: 'Dev Fictional',
    email: 'dev.fictional@example.org',
    appointments: [
      { body: GB, role: 'chief_finance_officer', voting: true, decisionMaker: true, since: 600 },
    ],
    interests: [
      {
        category: 'indirect',
        counterpart: 'Fictional Care Homes plc (fictional)',
        versions: [
          {
            description:
              'Spouse is finance director of a care home group that holds continuing care placements',
            arose: 160,
            declared: 100,
            ended: null,
            action: 'Does not take part in continuing care procurement decisions',
          },
        ],
      },
    ],
  },
  {
    name: 'Eve Testcase',
    email: 'eve.testcase@example.org',
    appointments: [
      { body: GB, role: 'accountable_officer', voting: true, decisionMaker: true, since: 1100 },
    ],
    interests: [
      {
        category: 'non_financial_personal',
        counterpart: 'Testcase Hospice (fictional charity)',
        versions: [
          {
            description: 'Trustee of a local hospice charity',
            arose: 1500,
            declared: 1090,
            ended: 120,
            action: 'Left the room for the hospice’s contract; trusteeship ended',
          },
        ],
      },
    ],
  },
  {
    name: 'Dr Finn Mockley',
    email: 'finn.mockley@example.org',
    appointments: [
      { body: PCC, role: 'practice_representative', voting: true, decisionMaker: true, since: 40 },
    ],
    interests: [
      {
        category: 'financial',
        counterpart: 'Mockley Minor Surgery LLP (fictional)',
        versions: [
          {
            description: 'Partner in a minor surgery provider (before this appointment)',
            arose: 2000,
            declared: 1900,
            ended: 250,
            action: 'Interest ended',
          },
        ],
      },
    ],
  },
  {
    name: 'Gus Dummy',
    email: 'gus.dummy@example.org',
    appointments: [
      {
        body: 'Commissioning team',
        role: 'employee',
        voting: false,
        decisionMaker: false,
        since: 500,
      },
    ],
    interests: [
      {
        category: 'financial',
        counterpart: 'Dummy Physio Ltd (fictional)',
        versions: [
          {
            description: 'Owns a physiotherapy clinic that does not hold NHS contracts',
            arose: 480,
            declared: 470,
            ended: null,
            action: 'No action: not involved in musculoskeletal commissioning',
          },
        ],
      },
    ],
  },
  {
    name: 'Dr Hana Imaginary',
    email: 'hana.imaginary@example.org',
    appointments: [
      { body: PCC, role: 'committee_member', voting: true, decisionMaker: true, since: 760 },
    ],
    interests: [
      {
        category: 'non_financial_professional',
        counterpart: 'Royal College of General Practitioners',
        versions: [
          {
            description: 'Faculty board member',
            arose: 800,
            declared: 400,
            ended: null,
            action: 'No action',
          },
        ],
      },
    ],
  },
];

/** Offers to record: person, kind, offeror, supplier?, description, £, days ago, accepted?, approval. */
const gifts: [string, 'gift' | 'hospitality', string, boolean, string, bigint, number, boolean][] =
  [
    [
      'Dr Ada Example',
      'hospitality',
      'A pharmaceutical company (fictional)',
      true,
      'Dinner at an educational evening on heart failure',
      4_000n,
      90,
      true,
    ],
    [
      'Dr Bram Sample',
      'gift',
      'A patient participation group',
      false,
      'Hamper at the end of a long project',
      6_000n,
      200,
      true,
    ],
    [
      'Dev Fictional',
      'hospitality',
      'A consultancy bidding for a contract (fictional)',
      true,
      'Conference place and dinner',
      12_000n,
      20,
      true,
    ],
    [
      'Cara Placeholder',
      'gift',
      'A care home group (fictional)',
      true,
      'Bottle of champagne',
      3_000n,
      150,
      false,
    ],
    [
      'Gus Dummy',
      'hospitality',
      'A local charity',
      false,
      'Lunch at a partnership event',
      3_000n,
      60,
      true,
    ],
  ];

/** Seeds the demo people and register once (nothing happens when the group has people already). */
export async function seedDemoGovernance(db: Kysely<Database>, group: Group, today: string) {
  const existing = await db
    .selectFrom('gov_person')
    .select('id')
    .where('group_id', '=', group.id)
    .executeTakeFirst();
  if (existing) return false;
  const ago = (days: number) => addDays(today, -days);
  const at = new Date(`${today}T09:00:00Z`);
  await db.transaction().execute(async (tx) => {
    for (const p of people) {
      const person = await tx
        .insertInto('gov_person')
        .values({
          group_id: group.id,
          name: p.name,
          contact_email: p.email,
          contact_phone: '01632 960000',
          user_id: null,
          illustrative: true,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const a of p.appointments)
        await tx
          .insertInto('gov_appointment')
          .values({
            person_id: person.id,
            body: a.body,
            role: a.role,
            is_guardian: a.guardian ?? false,
            voting: a.voting,
            decision_maker: a.decisionMaker,
            starts_on: ago(a.since),
            ends_on: null,
          })
          .execute();
      if (p.nilReturn !== undefined)
        await tx
          .insertInto('gov_nil_return')
          .values({
            person_id: person.id,
            declared_on: ago(p.nilReturn),
            recorded_by: 'seed',
            recorded_at: at,
          })
          .execute();
      for (const i of p.interests) {
        const interest = await tx
          .insertInto('gov_interest')
          .values({ person_id: person.id, created_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        const org = i.counterpartCode
          ? await tx
              .selectFrom('organisation')
              .select('id')
              .where('code', '=', i.counterpartCode)
              .executeTakeFirst()
          : undefined;
        for (const [n, v] of i.versions.entries())
          await tx
            .insertInto('gov_interest_version')
            .values({
              interest_id: interest.id,
              version: n + 1,
              category: i.category,
              counterpart: i.counterpart,
              counterpart_org_id: org?.id ?? null,
              description: v.description,
              arose_on: ago(v.arose),
              declared_on: ago(v.declared),
              ended_on: v.ended === null ? null : ago(v.ended),
              action_taken: v.action,
              recorded_by: 'seed',
              recorded_at: at,
            })
            .execute();
      }
    }
    for (const [name, kind, offeror, supplier, description, pence, daysAgo, accepted] of gifts) {
      const person = await tx
        .selectFrom('gov_person')
        .select('id')
        .where('group_id', '=', group.id)
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      // The ruling of the thresholds in force that day, as when a person records an offer.
      const thresholds = thresholdsOn(ago(daysAgo));
      const ruling = ruleOnOffer({ kind, fromSupplier: supplier, valuePence: pence }, thresholds);
      await tx
        .insertInto('gov_gift')
        .values({
          person_id: person.id,
          kind,
          offeror,
          from_supplier: supplier,
          description,
          value_pence: pence,
          offered_on: ago(daysAgo),
          accepted,
          reason: accepted ? null : 'Declined, as the guidance requires',
          thresholds_version: thresholds.version,
          ruling: ruling.reason,
          must_declare: ruling.declare || !accepted,
          approval: accepted && ruling.approvalNeeded ? 'pending' : 'not needed',
          decided_by: null,
          decided_on: null,
          recorded_by: 'seed',
          recorded_at: at,
        })
        .execute();
    }
    // Committees, a past governing body meeting with conflicted items handled (one of them left
    // inquorate and deferred), and an upcoming one whose agenda warns a member in advance.
    const idOf = async (name: string) =>
      (
        await tx
          .selectFrom('gov_person')
          .select('id')
          .where('group_id', '=', group.id)
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;
    const gb = await tx
      .insertInto('gov_committee')
      .values({
        group_id: group.id,
        name: GB,
        minimum_voting: 3,
        lay_member_required: true,
        terms:
          'Terms of reference (illustrative): at least three voting members, one of them a lay member, for a decision.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('gov_committee')
      .values({
        group_id: group.id,
        name: PCC,
        minimum_voting: 3,
        lay_member_required: true,
        terms:
          'Terms of reference (illustrative): at least three voting members including a lay member.',
      })
      .execute();
    const past = await tx
      .insertInto('gov_meeting')
      .values({
        committee_id: gb.id,
        held_on: ago(30),
        title: 'Governing body meeting in public (illustrative)',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const eve = await idOf('Eve Testcase');
    await tx
      .insertInto('gov_attendance')
      .values({ meeting_id: past.id, person_id: eve, present: false })
      .execute();
    // Everyone else on the governing body that day was present.
    await sql`INSERT INTO gov_attendance (meeting_id, person_id, present)
      SELECT DISTINCT ${past.id}::int, p.id, true FROM gov_person p
      JOIN gov_appointment a ON a.person_id = p.id
      WHERE p.group_id = ${group.id} AND a.body = ${GB} AND a.starts_on <= ${ago(30)}
        AND (a.ends_on IS NULL OR a.ends_on >= ${ago(30)}) AND p.id <> ${eve}`.execute(tx);
    const item = async (
      meetingId: number,
      position: number,
      title: string,
      forDecision: boolean,
      org?: { code: string | null; name: string },
    ) =>
      (
        await tx
          .insertInto('gov_agenda_item')
          .values({
            meeting_id: meetingId,
            position,
            title,
            organisation_code: org?.code ?? null,
            organisation_name: org?.name ?? null,
            for_decision: forDecision,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await item(past.id, 1, 'Minutes of the last meeting and matters arising', false);
    const dermatology = await item(
      past.id,
      2,
      'Renewal of the dermatology service contract',
      true,
      {
        code: 'RYR',
        name: 'University Hospitals Sussex NHS Foundation Trust',
      },
    );
    const care = await item(past.id, 3, 'Continuing care placements framework', true, {
      code: null,
      name: 'Fictional Care Homes',
    });
    const declare = async (
      itemId: number,
      name: string,
      interest: string,
      action: 'no action' | 'may observe but not decide' | 'leaves the room',
    ) =>
      tx
        .insertInto('gov_item_declaration')
        .values({
          item_id: itemId,
          person_id: await idOf(name),
          interest,
          action,
          recorded_by: 'seed',
          recorded_at: at,
        })
        .execute();
    await declare(
      dermatology,
      'Dr Bram Sample',
      'honorary sessions in the trust’s dermatology clinic',
      'leaves the room',
    );
    await tx
      .insertInto('gov_decision')
      .values({
        item_id: dermatology,
        decision: 'Renew the dermatology contract for two years (Direct Award Process C)',
        rationale:
          'The provider meets the key criteria and performs well; no considerable change (illustrative).',
        votes_for: 3,
        votes_against: 0,
        abstentions: 0,
        recorded_by: 'seed',
        recorded_at: at,
      })
      .execute();
    await declare(
      care,
      'Dev Fictional',
      'spouse is finance director of a care home group on the framework',
      'leaves the room',
    );
    await declare(
      care,
      'Dr Ada Example',
      'her practice provides the enhanced service to care homes on the framework',
      'leaves the room',
    );
    const upcoming = await tx
      .insertInto('gov_meeting')
      .values({
        committee_id: gb.id,
        held_on: ago(-14),
        title: 'Governing body meeting in public (illustrative, upcoming)',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await item(upcoming.id, 1, 'Continuing care placements framework (deferred)', true, {
      code: null,
      name: 'Fictional Care Homes',
    });
    // A meeting on the day the demo starts, for trying the meeting through: its diagnostics item
    // concerns a provider a member has shares in.
    const todays = await tx
      .insertInto('gov_meeting')
      .values({
        committee_id: gb.id,
        held_on: ago(0),
        title: 'Governing body meeting in public (illustrative, today)',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await item(todays.id, 1, 'Community diagnostics: most suitable provider', true, {
      code: null,
      name: 'Sample Diagnostics',
    });
    await tx
      .insertInto('gov_group_setting')
      .values({
        group_id: group.id,
        guardian_contact:
          'conflicts.guardian@coastal-west-sussex.example (an illustrative address: it does not exist)',
        updated_by: 'seed',
        updated_at: at,
      })
      .execute();
    await seedDemoVotes(tx, group, today);
    await seedDemoProcurement(tx, group, today);
    await seedDemoBreaches(tx, group, today);
    await audit(tx, systemActor('seed'), {
      action: 'governance.demo_seeded',
      entityType: 'gov_person',
      organisationId: group.id,
      after: { people: people.length },
    });
  });
  return true;
}
