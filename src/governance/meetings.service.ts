// Meetings: the agenda with each member's likely conflicts before the meeting, declarations at each
// item, quorum per item without conflicted voting members, and decisions (refused on an inquorate item).
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, requireFields, yesOrNo, type FieldProblem } from '../platform/errors.js';
import { canManageRegister } from './declarations.service.js';
import { roleLabels, type AppointmentRole } from './governance.table.js';
import { likelyConflicts, quorumForItem, type ConflictAction } from './quorum.js';
import { isRowId } from '../platform/db/ids.js';

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
  const meeting = isRowId(meetingId)
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
    await sql<{
      person_id: number;
      name: string;
      role: AppointmentRole;
      voting: boolean;
      illustrative: boolean;
    }>`
      SELECT p.id AS person_id, p.name, a.role, a.voting, p.illustrative FROM gov_appointment a
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
  // Member practice votes and consultations that inform an item's decision.
  const memberVotes = itemIds.length
    ? await db
        .selectFrom('gov_member_vote')
        .select(['id', 'item_id', 'kind', 'question', 'closes_at'])
        .where('item_id', 'in', itemIds)
        .where('group_id', '=', group.id)
        .orderBy('id')
        .execute()
    : [];
  const rule = {
    minimumVoting: meeting.minimum_voting,
    mustInclude: meeting.lay_member_required ? ['lay_member'] : [],
  };
  return {
    meeting,
    /** Invented demo records (the people are), to be labelled as such wherever shown. */
    illustrative: members.some((m) => m.illustrative),
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
        memberVotes: memberVotes
          .filter((v) => v.item_id === item.id)
          .map((v) => ({ id: v.id, kind: v.kind, question: v.question, closesAt: v.closes_at })),
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
  else if (view.meeting.held_on > isoDate(clock()))
    problems.push({
      field: 'decItem',
      message: `The meeting is on ${view.meeting.held_on}: its decisions are recorded once it is held`,
    });
  else if (view.members.some((m) => m.present === null))
    problems.push({
      field: 'decItem',
      message: `Record the attendance first (not yet recorded: ${view.members
        .filter((m) => m.present === null)
        .map((m) => m.name)
        .join(', ')}): quorum depends on who is in the room`,
    });
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

const meetingDay = (value: string, field: string, problems: FieldProblem[]) => {
  if (!isSensibleDate(value))
    problems.push({ field, message: `Enter the date, like 2026-12-15 ${DATE_YEARS_TEXT}` });
  return value;
};

/** Schedules a meeting of one of the group's committees (the governing body included). */
export async function scheduleMeeting(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { committee: string; heldOn: string; title: string },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group);
  const problems: FieldProblem[] = [];
  const committee = await db
    .selectFrom('gov_committee')
    .select(['id', 'name'])
    .where('group_id', '=', group.id)
    .where('id', '=', /^\d{1,9}$/.test(input.committee) ? Number(input.committee) : -1)
    .executeTakeFirst();
  if (!committee) problems.push({ field: 'committee', message: 'Choose the committee' });
  const heldOn = meetingDay(input.heldOn.trim(), 'heldOn', problems);
  const title = input.title.trim();
  if (!title || title.length > 200)
    problems.push({ field: 'title', message: 'Enter the meeting’s title (up to 200 characters)' });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  return db.transaction().execute(async (tx) => {
    const meeting = await tx
      .insertInto('gov_meeting')
      .values({ committee_id: committee!.id, held_on: heldOn, title })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_meeting.scheduled',
        entityType: 'gov_meeting',
        entityId: String(meeting.id),
        organisationId: group.id,
        after: { committee: committee!.name, heldOn, title },
      },
      clock,
    );
    return meeting.id;
  });
}

/**
 * Adds an item to a meeting's agenda, with the organisation it concerns (by ODS code where it has one,
 * so members' declared interests in it raise a warning) and its paper. Not once the meeting is past.
 */
export async function addAgendaItem(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  view: MeetingView,
  input: {
    title: string;
    forDecision: string;
    organisationCode: string;
    organisationName: string;
    paper: string;
  },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group);
  const problems: FieldProblem[] = [];
  if (view.meeting.held_on < isoDate(clock()))
    problems.push({
      field: 'itemTitle',
      message: 'The meeting has been held: its agenda is part of the record and cannot change',
    });
  const title = input.title.trim();
  if (!title || title.length > 300)
    problems.push({ field: 'itemTitle', message: 'Enter the item’s title (up to 300 characters)' });
  const code = input.organisationCode.trim().toUpperCase();
  let name = input.organisationName.trim();
  if (code) {
    const org = /^[A-Z0-9]{3,9}$/.test(code)
      ? await db
          .selectFrom('organisation')
          .select('name')
          .where('code', '=', code)
          .executeTakeFirst()
      : undefined;
    if (!org)
      problems.push({
        field: 'organisationCode',
        message: 'No organisation has that ODS code; leave it empty and give the name instead',
      });
    else name ||= org.name;
  }
  if (name.length > 200)
    problems.push({ field: 'organisationName', message: 'Up to 200 characters' });
  const paper = input.paper.trim();
  if (paper.length > 2000) problems.push({ field: 'paper', message: 'Up to 2,000 characters' });
  const forDecision = yesOrNo(
    input.forDecision,
    'forDecision',
    'is the item for decision?',
    problems,
  );
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const row = {
    meeting_id: view.meeting.id,
    title,
    organisation_code: code || null,
    organisation_name: name || null,
    for_decision: forDecision,
    paper: paper || null,
  };
  await db.transaction().execute(async (tx) => {
    // One item added at a time per meeting, so two secretaries cannot take the same position.
    await tx
      .selectFrom('gov_meeting')
      .select('id')
      .where('id', '=', view.meeting.id)
      .forUpdate()
      .execute();
    const position =
      ((
        await tx
          .selectFrom('gov_agenda_item')
          .select((eb) => eb.fn.max('position').as('last'))
          .where('meeting_id', '=', view.meeting.id)
          .executeTakeFirst()
      )?.last ?? 0) + 1;
    const item = await tx
      .insertInto('gov_agenda_item')
      .values({ ...row, position })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_agenda_item.added',
        entityType: 'gov_agenda_item',
        entityId: String(item.id),
        organisationId: group.id,
        after: { ...row, position },
      },
      clock,
    );
  });
}

/**
 * Records who was present and who sent apologies. Each member's field is `present`, `apologies` or
 * empty (not recorded); quorum is recalculated from it for every item not yet decided.
 */
export async function recordAttendance(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  view: MeetingView,
  values: Record<string, string>,
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group);
  if (view.items.some((i) => i.decision))
    throw new AppError(
      'invalid_input',
      'Decisions are recorded at this meeting: attendance, which they were quorate on, cannot change now',
      [{ field: 'attendance', message: 'Attendance cannot change once a decision is recorded' }],
    );
  // Every member's mark is sent ("not recorded" is an explicit empty choice); one left out is an
  // error, so a request cut short cannot wipe what was recorded.
  requireFields(
    values,
    Object.fromEntries(
      view.members.map((m) => [`attend-${m.person_id}`, `${m.name}'s attendance`]),
    ),
  );
  const marks = view.members.map((m) => ({
    member: m,
    mark: values[`attend-${m.person_id}`] ?? '',
  }));
  const bad = marks.find((x) => !['', 'present', 'apologies'].includes(x.mark));
  if (bad)
    throw new AppError('invalid_input', `Choose present or apologies for ${bad.member.name}`, [
      { field: `attend-${bad.member.person_id}`, message: 'Choose present or apologies' },
    ]);
  await db.transaction().execute(async (tx) => {
    for (const { member, mark } of marks) {
      if (mark === '')
        await tx
          .deleteFrom('gov_attendance')
          .where('meeting_id', '=', view.meeting.id)
          .where('person_id', '=', member.person_id)
          .execute();
      else
        await tx
          .insertInto('gov_attendance')
          .values({
            meeting_id: view.meeting.id,
            person_id: member.person_id,
            present: mark === 'present',
          })
          .onConflict((oc) =>
            oc.columns(['meeting_id', 'person_id']).doUpdateSet({ present: mark === 'present' }),
          )
          .execute();
    }
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_attendance.recorded',
        entityType: 'gov_meeting',
        entityId: String(view.meeting.id),
        organisationId: group.id,
        before: Object.fromEntries(view.members.map((m) => [m.name, m.present])),
        after: Object.fromEntries(marks.map((x) => [x.member.name, x.mark || null])),
      },
      clock,
    );
  });
}
