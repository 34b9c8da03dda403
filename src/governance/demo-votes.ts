// The demo group's illustrative member practice votes, seeded with the rest of its governance demo
// (demo-governance.ts): an open vote weighted by list size with a few practices voted, and a closed
// one that informed a past meeting's decision. Fictional wording; dates relative to the seed day.
import type { Kysely } from 'kysely';
import { findGroupByCode, listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import { isoDate, systemClock } from '../platform/clock.js';
import type { Database } from '../platform/db/schema.js';
import { addDays } from './interests.js';
import { memberPracticesOn } from './votes.service.js';
import { ballotWeight, membershipDay, ukDeadline } from './votes.js';
import type { BallotChoice } from './votes.table.js';

export const DEMO_OPEN_VOTE_QUESTION =
  'Should the constitution let the governing body co-opt a member from a neighbouring group when conflicts leave an item inquorate? (illustrative)';
const CLOSED_VOTE_QUESTION =
  'Do member practices support renewing the dermatology service contract for two years? (illustrative)';

/** Choices of the practices that have voted in the open vote (the first member by name has not). */
const openChoices: BallotChoice[] = ['for', 'for', 'against', 'for', 'abstain', 'for'];
/** The closed vote: most practices voted, most of them for. */
const closedChoice = (n: number): BallotChoice | null =>
  n % 7 === 3 ? null : n % 5 === 1 ? 'against' : n % 11 === 4 ? 'abstain' : 'for';

export async function seedDemoVotes(db: Kysely<Database>, group: Group, today: string) {
  const at = new Date(`${today}T09:00:00Z`);
  const members = await memberPracticesOn(
    db,
    group,
    membershipDay(addDays(today, -4), group.as_at),
  );
  const practices = members.practices; // by name
  if (!practices.length) return;

  // Open: opened four days ago, closing at 17:00 UK time ten days after the seed day.
  const openVote = await db
    .insertInto('gov_member_vote')
    .values({
      group_id: group.id,
      kind: 'vote',
      question: DEMO_OPEN_VOTE_QUESTION,
      papers:
        'Summary (illustrative): when declared conflicts leave too few voting members to decide an item, the governing body could co-opt a non-conflicted member of a neighbouring group for that item, instead of deferring it. Paper: proposed change to the constitution, section 6 (fictional). Each practice’s vote counts its registered list size, as the constitution says.',
      opens_on: addDays(today, -4),
      closes_at: ukDeadline(addDays(today, 10), '17:00')!,
      weighting: 'list_size',
      item_id: null,
      illustrative: true,
      created_by: 'seed',
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [n, choice] of openChoices.entries()) {
    const p = practices[n + 1];
    if (!p) break;
    await db
      .insertInto('gov_member_ballot')
      .values({
        vote_id: openVote.id,
        practice_id: p.practiceId,
        choice,
        comment: choice === 'against' ? 'We would rather defer such items (illustrative)' : null,
        weight: ballotWeight('list_size', p.listSize),
        cast_by: 'seed',
        on_behalf: n === 3,
        cast_at: new Date(at.getTime() - (4 - (n % 4)) * 86_400_000),
      })
      .execute();
  }
  await db
    .insertInto('gov_member_vote_reminder')
    .values({
      vote_id: openVote.id,
      practices: Math.max(0, practices.length - openChoices.length),
      sent_by: 'seed',
      sent_at: new Date(at.getTime() - 86_400_000),
    })
    .execute();

  // Closed: it informed the renewal of the dermatology contract at the past meeting (if there is one).
  const item = await db
    .selectFrom('gov_agenda_item')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .select(['gov_agenda_item.id', 'gov_meeting.held_on'])
    .where('gov_committee.group_id', '=', group.id)
    .where('gov_agenda_item.title', '=', 'Renewal of the dermatology service contract')
    .executeTakeFirst();
  const closedOn = item ? addDays(item.held_on, -5) : addDays(today, -35);
  const closedVote = await db
    .insertInto('gov_member_vote')
    .values({
      group_id: group.id,
      kind: 'vote',
      question: CLOSED_VOTE_QUESTION,
      papers:
        'Summary (illustrative): the contract ends soon; the provider meets the key criteria and performs well. Papers: activity and waiting times, and the practices’ survey of referrals (fictional).',
      opens_on: addDays(closedOn, -14),
      closes_at: ukDeadline(closedOn, '17:00')!,
      weighting: 'practice',
      item_id: item?.id ?? null,
      illustrative: true,
      created_by: 'seed',
      created_at: new Date(`${addDays(closedOn, -14)}T09:00:00Z`),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [n, p] of practices.entries()) {
    const choice = closedChoice(n);
    if (!choice) continue;
    await db
      .insertInto('gov_member_ballot')
      .values({
        vote_id: closedVote.id,
        practice_id: p.practiceId,
        choice,
        comment: choice === 'against' ? 'Waiting times are still too long (illustrative)' : null,
        weight: 1,
        cast_by: 'seed',
        on_behalf: false,
        cast_at: new Date(`${addDays(closedOn, -(n % 10))}T10:00:00Z`),
      })
      .execute();
  }
}

/**
 * Nominates a demo user as the representative of the demo group's first member practice (by name),
 * the one that has not voted in the open illustrative vote, so the user can try voting. Runs after
 * the demo users exist; does nothing if the user or group is missing, or it was done already.
 */
export async function nominateDemoRepresentative(
  db: Kysely<Database>,
  groupCode: string,
  email: string,
  today = isoDate(systemClock()),
) {
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  const vote = await db
    .selectFrom('gov_member_vote')
    .innerJoin('organisation', 'organisation.id', 'gov_member_vote.group_id')
    .select(['gov_member_vote.id', 'gov_member_vote.group_id'])
    .where('organisation.code', '=', groupCode)
    .where('organisation.type', '=', 'group')
    .where('gov_member_vote.question', '=', DEMO_OPEN_VOTE_QUESTION)
    .executeTakeFirst();
  if (!user || !vote) return;
  const group = await findGroupByCode(db, groupCode, today);
  if (!group) return;
  // The first member practice by name with no ballot in the open vote.
  const members = await listMembers(db, group.id, group.as_at);
  const voted = new Set(
    (
      await db
        .selectFrom('gov_member_ballot')
        .select('practice_id')
        .where('vote_id', '=', vote.id)
        .execute()
    ).map((b) => b.practice_id),
  );
  const practiceId = members.find((m) => !voted.has(m.id))?.id;
  if (practiceId === undefined) return;
  await db
    .insertInto('gov_practice_voter')
    .values({
      group_id: vote.group_id,
      practice_id: practiceId,
      user_id: user.id,
      nominated_on: today,
      recorded_by: 'seed',
      recorded_at: new Date(`${today}T09:00:00Z`),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
