// The demo group's illustrative breaches and decisions by delegated officers, seeded with the rest of its governance demo
// (demo-governance.ts), with fictional names and dates relative to the seed day.
import type { Kysely } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Database } from '../platform/db/schema.js';
import type { BreachCategory } from './breaches.table.js';
import { addDays } from './interests.js';

interface DemoBreach {
  category: BreachCategory;
  /** Days before the seed day. */
  occurred: number;
  identified: number;
  closed: number | null;
  /** The demo person concerned, by name (private). */
  person: string | null;
  description: string;
  actionTaken: string;
  reportedTo: string | null;
  publicSummary: string | null;
}

const breaches: DemoBreach[] = [
  {
    category: 'interests',
    occurred: 150,
    identified: 100,
    closed: 60,
    person: 'Dev Fictional',
    description:
      'Took part in the governing body vote on a continuing care placement variation before declaring that his spouse is finance director of a care home group on the framework; the interest was declared 60 days after it arose (illustrative).',
    actionTaken:
      'The decision was taken again at the next meeting without the member concerned, with the same outcome; the member repeated the conflicts of interest training; declarations are now checked against each agenda before the meeting.',
    reportedTo: 'Audit committee; conflicts of interest guardian; NHS England (sub-regional team)',
    publicSummary:
      'A governing body member declared an indirect interest in a care home provider more than 28 days after it arose, having taken part meanwhile in a decision concerning that provider. The decision was taken again without the member and the outcome did not change.',
  },
  {
    category: 'gifts',
    occurred: 250,
    identified: 230,
    closed: 190,
    person: 'Gus Dummy',
    description:
      'Accepted a dinner worth about £95 from a supplier bidding for a musculoskeletal contract without asking for approval; found by internal audit in the gifts and hospitality sample (illustrative).',
    actionTaken:
      'The hospitality was declared, its cost repaid to the supplier, and every member of staff reminded that hospitality over £75 needs approval before it is accepted.',
    reportedTo: 'Internal audit; audit committee',
    publicSummary:
      'A member of staff accepted hospitality worth more than £75 from a supplier without the approval the policy requires. The member of staff was not involved in the procurement. The hospitality has been declared and repaid.',
  },
  {
    category: 'decision',
    occurred: 20,
    identified: 12,
    closed: null,
    person: 'Dr Finn Mockley',
    description:
      'A concern raised with the guardian that a committee member spoke in the discussion of a minor surgery service while still connected with a provider of it; under investigation (illustrative).',
    actionTaken: 'Investigation opened by the conflicts of interest guardian.',
    reportedTo: 'Cara Placeholder, conflicts of interest guardian',
    publicSummary: null,
  },
];

interface DemoOfficerDecision {
  officer: string;
  delegation: string;
  title: string;
  decision: string;
  rationale: string;
  valuePence: bigint | null;
  organisation: string | null;
  /** Days before the seed day. */
  decided: number;
}

const officerDecisions: DemoOfficerDecision[] = [
  {
    officer: 'Dev Fictional',
    delegation:
      'Scheme of delegation 4.2: contract variations up to £250,000 (chief finance officer)',
    title: 'Community phlebotomy contract: six-month extension',
    decision:
      'Extend the community phlebotomy contract by six months on the same terms while the service is reviewed.',
    rationale:
      'Within the budget for the service; keeps blood tests close to home while the review completes; no change to the service (illustrative).',
    valuePence: 1_850_000n,
    organisation: 'Example Coast Community Health (fictional)',
    decided: 45,
  },
  {
    officer: 'Eve Testcase',
    delegation:
      'Scheme of delegation 3.1: urgent decisions up to £100,000 between governing body meetings (accountable officer), reported to the next meeting',
    title: 'Winter: additional same-day GP appointments',
    decision:
      'Fund additional same-day appointments in member practices from December to February.',
    rationale:
      'Demand on urgent care was above plan; the next governing body meeting was after the scheme had to start (illustrative).',
    valuePence: 4_200_000n,
    organisation: null,
    decided: 20,
  },
  {
    officer: 'Dev Fictional',
    delegation: 'Standing financial instructions 8.3: losses and write-offs up to £5,000',
    title: 'Write-off of a small overpayment',
    decision: 'Write off an overpayment of a local enhanced service claim.',
    rationale:
      'Recovering it would cost more than its value; the claim process has been corrected (illustrative).',
    valuePence: 125_000n,
    organisation: null,
    decided: 75,
  },
];

/** Seeds the demo breaches and delegated decisions (inside the governance demo's transaction, once). */
export async function seedDemoBreaches(db: Kysely<Database>, group: Group, today: string) {
  const ago = (days: number) => addDays(today, -days);
  const at = new Date(`${today}T09:00:00Z`);
  const idOf = async (name: string) =>
    (
      await db
        .selectFrom('gov_person')
        .select('id')
        .where('group_id', '=', group.id)
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;
  for (const b of breaches)
    await db
      .insertInto('gov_breach')
      .values({
        group_id: group.id,
        category: b.category,
        occurred_on: ago(b.occurred),
        identified_on: ago(b.identified),
        person_id: b.person ? await idOf(b.person) : null,
        description: b.description,
        action_taken: b.actionTaken,
        reported_to: b.reportedTo,
        public_summary: b.publicSummary,
        closed_on: b.closed === null ? null : ago(b.closed),
        illustrative: true,
        recorded_by: 'seed',
        recorded_at: at,
      })
      .execute();
  for (const d of officerDecisions)
    await db
      .insertInto('gov_officer_decision')
      .values({
        group_id: group.id,
        person_id: await idOf(d.officer),
        delegation: d.delegation,
        title: d.title,
        decision: d.decision,
        rationale: d.rationale,
        value_pence: d.valuePence,
        organisation_name: d.organisation,
        decided_on: ago(d.decided),
        illustrative: true,
        recorded_by: 'seed',
        recorded_at: at,
      })
      .execute();
}
