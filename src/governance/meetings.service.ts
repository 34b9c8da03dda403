// Meetings: the agenda with each member's likely conflicts before the meeting, declarations at each
// item, quorum per item without conflicted voting members, and decisions (refused on an inquorate item).
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { canManageRegister } from './declarations.service.js';
import { roleLabels, type AppointmentRole } from './governance.table.js';
import { likelyConflicts, quorumForItem, type ConflictAction } from './quorum.js';

export const conflictActions: ConflictAction[] = [
  'no action',
  'may observe but not decide',
  'leaves the room',
];

export const listMeetings = (db: Db, group: Group) =>
  db
    .selectFrom('gov_meeting')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .select([
      'gov_meeting.id',
      'gov_meeting.held_on',
      'gov_meeting.title',
      'gov_committee.name as committee',
    ])
    .where('gov_committee.group_id', '=', group.id)
    .orderBy('gov_meeting.held_on', 'desc')
    .execute();

/** Everything about one meeting, as at its date: members, warnings, declarations, quorum, decisions. */
export async function meetingView(db: Db, group: Group, meetingId: number) {
  const meeting =
    Number.isSafeInteger(meetingId) && meetingId > 0 && meetingId < 2 ** 31
      ? await db
          .selectFrom('gov_meeting')
          .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
          .select([
            'gov_meeting.id',
            'gov_meeting.held_on',
            'gov_meeting.title',
            'gov_committee.name as committee',
            'gov_committee.minimum_voting',
            'gov_committee.lay_member_required',
            'gov_committee.terms',
          ])
          .where('gov_meeting.id', '=', meetingId)
          .where('gov_committee.group_id', '=', group.id)
          .executeTakeFirst()
      : undefined;
  if (!meeting) throw new AppError('not_found', `No such meeting of ${group.name}`);
  const on = meeting.held_on;
  // Members: people appointed to this committee on the day of the meeting.
  const members = (
    await sql<{ person_id: number; name: string; role: AppointmentRole; voting: boolean }>`
      SELECT p.id AS person_id, p.name, a.role, a.voting FROM gov_appointment a
      JOIN gov_person p ON p.id = a.person_id
      WHERE p.group_id = ${group.id} AND a.body = ${meeting.committee}
        AND a.starts_on <= ${on} AND (a.ends_on IS NULL OR a.ends_on >= ${on})
      ORDER BY a.voting DESC, p.name`.execute(db)
  ).rows;
  const attendance = new Map(
    (
      await db
        .selectFrom('gov_attendance')
        .select(['person_id', 'present'])
        .where('meeting_id', '=', meeting.id)
        .execute()
    ).map((a) => [a.person_id, a.present]),
  );
  // Interests current on the day of the meeting.
  const interests = (
    await sql<{
      person_id: number;
      counterpart: string;
      code: string | null;
      description: string;
      ended_on: string | null;
    }>`
      SELECT DISTINCT ON (v.interest_id) i.person_id, v.counterpart, o.code, v.description, v.ended_on::text AS ended_on
      FROM gov_interest_version v JOIN gov_interest i ON i.id = v.interest_id
      LEFT JOIN organisation o ON o.id = v.counterpart_org_id
      WHERE i.person_id = any(${members.map((m) => m.person_id)}::int[]) AND v.declared_on <= ${on}
      ORDER BY v.interest_id, v.version DESC`.execute(db)
  ).rows.filter((r) => r.ended_on === null || r.ended_on >= on);
  const items = await db
    .selectFrom('gov_agenda_item')
    .selectAll()
    .where('meeting_id', '=', meeting.id)
    .orderBy('position')
    .execute();
  const itemIds = items.map((i) => i.id);
  const declarations = itemIds.length
    ? await db
        .selectFrom('gov_item_declaration')
        .innerJoin('gov_person', 'gov_person.id', 'gov_item_declaration.person_id')
        .select([
          'gov_item_declaration.item_id',
          'gov_item_declaration.person_id',
          'gov_person.name',
          'gov_item_declaration.interest',
          'gov_item_declaration.action',
        ])
        .where('item_id', 'in', itemIds)
        .execute()
    : [];
  const decisions = itemIds.length
    ? await db.selectFrom('gov_decision').selectAll().where('item_id', 'in', itemIds).execute()
    : [];
  const rule = {
    minimumVoting: meeting.minimum_voting,
    mustInclude: meeting.lay_member_required ? ['lay_member'] : [],
  };
  return {
    meeting,
    rule,
    members: members.map((m) => ({
      ...m,
      roleLabel: roleLabels[m.role],
      present: attendance.get(m.person_id) ?? null,
    })),
    items: items.map((item) => {
      const declared = declarations.filter((d) => d.item_id === item.id);
      const quorum = quorumForItem(
        members.map((m) => ({
          personId: m.person_id,
          name: m.name,
          role: m.role,
          voting: m.voting,
          present: attendance.get(m.person_id) ?? true,
          declared: declared.find((d) => d.person_id === m.person_id)?.action,
        })),
        rule,
      );
      const organisations = item.organisation_name
        ? [{ code: item.organisation_code, name: item.organisation_name }]
        : [];
      return {
        ...item,
        warnings: likelyConflicts(
          { organisations },
          members.map((m) => ({ personId: m.person_id, name: m.name })),
          interests.map((i) => ({
            personId: i.person_id,
            counterpartCode: i.code,
            counterpart: i.counterpart,
            description: i.description,
          })),
        ),
        declarations: declared,
        quorum,
        decision: decisions.find((d) => d.item_id === item.id) ?? null,
      };
    }),
  };
}

export type MeetingView = Awaited<ReturnType<typeof meetingView>>;

const requireKeeper = (principal: Principal, group: Group) => {
  if (!canManageRegister(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s governing body secretary and administrators record meetings`,
    );
};

/** Records a member's declaration at an item and what they do (no action, observe only, leave the room). */
export async function recordItemDeclaration(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  view: MeetingView,
  input: { item: string; person: string; interest: string; action: string },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group);
  const problems: FieldProblem[] = [];
  const item = view.items.find((i) => String(i.id) === input.item);
  if (!item) problems.push({ field: 'declItem', message: 'Choose an agenda item' });
  const member = view.members.find((m) => String(m.person_id) === input.person);
  if (!member) problems.push({ field: 'declPerson', message: 'Choose a member of the committee' });
  const interest = input.interest.trim();
  if (!interest || interest.length > 500)
    problems.push({
      field: 'declInterest',
      message: 'Say what was declared (up to 500 characters)',
    });
  const action = conflictActions.find((a) => a === input.action);
  if (!action)
    problems.push({ field: 'declAction', message: 'Choose how the conflict is managed' });
  if (item?.decision)
    problems.push({
      field: 'declItem',
      message: 'That item is decided: its declarations cannot change',
    });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('gov_item_declaration')
      .values({
        item_id: item!.id,
        person_id: member!.person_id,
        interest,
        action: action!,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .onConflict((oc) =>
        oc.columns(['item_id', 'person_id']).doUpdateSet({
          interest,
          action: action!,
          recorded_by: principal.email,
          recorded_at: clock(),
        }),
      )
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_item_declaration.recorded',
        entityType: 'gov_agenda_item',
        entityId: String(item!.id),
        organisationId: group.id,
        after: { person: member!.name, interest, action },
      },
      clock,
    );
  });
}

/** Records an item's decision: refused while the item is inquorate, or with more votes than deciders. */
export async function recordDecision(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  view: MeetingView,
  input: {
    item: string;
    decision: string;
    rationale: string;
    votesFor: string;
    votesAgainst: string;
    abstentions: string;
  },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group);
  const problems: FieldProblem[] = [];
  const item = view.items.find((i) => String(i.id) === input.item);
  if (!item) problems.push({ field: 'decItem', message: 'Choose an agenda item' });
  else if (!item.for_decision)
    problems.push({ field: 'decItem', message: 'That item is for information, not decision' });
  else if (item.decision)
    problems.push({ field: 'decItem', message: 'That item is decided already' });
  else if (!item.quorum.quorate) {
    await audit(
      db,
      userActor(principal, clientAddress),
      {
        action: 'gov_decision.refused',
        entityType: 'gov_agenda_item',
        entityId: String(item.id),
        organisationId: group.id,
        after: { reason: `inquorate: ${item.quorum.shortfall}` },
      },
      clock,
    );
    problems.push({
      field: 'decItem',
      message: `The item is inquorate (${item.quorum.shortfall}): ${item.quorum.options.join('; ')}`,
    });
  }
  const decision = input.decision.trim();
  if (!decision || decision.length > 1000)
    problems.push({
      field: 'decDecision',
      message: 'Record the decision (up to 1,000 characters)',
    });
  const rationale = input.rationale.trim();
  if (!rationale || rationale.length > 2000)
    problems.push({
      field: 'decRationale',
      message: 'Record the reasons (up to 2,000 characters)',
    });
  const count = (text: string, field: string, label: string) => {
    if (!/^\d{1,3}$/.test(text.trim())) {
      problems.push({ field, message: `${label} must be a whole number` });
      return 0;
    }
    return Number(text);
  };
  const votesFor = count(input.votesFor, 'decFor', 'Votes for');
  const votesAgainst = count(input.votesAgainst, 'decAgainst', 'Votes against');
  const abstentions = count(input.abstentions, 'decAbstain', 'Abstentions');
  if (
    item &&
    item.quorum.quorate &&
    votesFor + votesAgainst + abstentions > item.quorum.deciding.length
  )
    problems.push({
      field: 'decFor',
      message: `Only ${item.quorum.deciding.length} members may vote on this item`,
    });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('gov_decision')
      .values({
        item_id: item!.id,
        decision,
        rationale,
        votes_for: votesFor,
        votes_against: votesAgainst,
        abstentions,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_decision.recorded',
        entityType: 'gov_agenda_item',
        entityId: String(item!.id),
        organisationId: group.id,
        after: {
          decision,
          votesFor,
          votesAgainst,
          abstentions,
          deciding: item!.quorum.deciding.map((d) => d.name),
        },
      },
      clock,
    );
  });
}
