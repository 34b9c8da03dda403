// Member practice votes and consultations: opening one, nominating each practice's representatives,
// casting the practice's one ballot (refusals audited), reminders, turnout and results, and what is public.
import { sql, type Selectable } from 'kysely';
import { listMembers } from '../organisations/group.repository.js';
import { listSizeSourceText, type Group } from '../organisations/group.service.js';
import { latestListSizes } from '../population/population.repository.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { canManageRegister } from './declarations.service.js';
import {
  ballotWeight,
  choiceLabels,
  choicesFor,
  countedFor,
  kindLabels,
  membershipDay,
  publicSuppressionRule,
  publicTotals,
  resultRule,
  tally,
  turnout,
  ukDateTime,
  ukDeadline,
  ukToday,
  voteResult,
  voteStatus,
  weightingLabels,
} from './votes.js';
import {
  ballotChoices,
  voteKinds,
  voteWeightings,
  type BallotChoice,
  type GovMemberVoteTable,
  type VoteKind,
  type VoteWeighting,
} from './votes.table.js';
import { isRowId } from '../platform/db/ids.js';

/** The board secretary's role: the group's administrators and governing body run member votes. */
export const canManageVotes = canManageRegister;

export interface MemberPractice {
  practiceId: number;
  code: string;
  name: string;
  listSize: number | null;
  listSizeSource: string | null;
}

/**
 * The group's member practices on a day, with each one's registered list size on that day: the
 * latest age/sex extract on or before it, else the most recent count held (QOF, allocations).
 */
export async function memberPracticesOn(db: Db, group: Group, day: string) {
  const members = await listMembers(db, group.id, day);
  const ids = members.map((m) => m.id);
  const onDay = ids.length
    ? (
        await sql<{ practice_id: number; extract_date: string; patients: number }>`
          SELECT DISTINCT ON (practice_id) practice_id, extract_date::text AS extract_date,
                 sum(patients) OVER (PARTITION BY practice_id, extract_date)::int AS patients
          FROM registered_population
          WHERE practice_id = any(${ids}::int[]) AND extract_date <= ${day}::date
          ORDER BY practice_id, extract_date DESC`.execute(db)
      ).rows
    : [];
  const byId = new Map(
    onDay.map((r) => [
      r.practice_id,
      {
        patients: r.patients,
        source: `${listSizeSourceText['registered-patients']}, ${r.extract_date}`,
      },
    ]),
  );
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length)
    for (const l of await latestListSizes(db, missing))
      byId.set(l.practice_id, {
        patients: l.patients,
        source: `${listSizeSourceText[l.source]}, ${l.period} (the most recent held)`,
      });
  const practices: MemberPractice[] = members.map((m) => ({
    practiceId: m.id,
    code: m.code,
    name: m.name,
    listSize: byId.get(m.id)?.patients ?? null,
    listSizeSource: byId.get(m.id)?.source ?? null,
  }));
  const sources = new Map<string, number>();
  for (const p of practices)
    if (p.listSizeSource) sources.set(p.listSizeSource, (sources.get(p.listSizeSource) ?? 0) + 1);
  return {
    day,
    practices,
    listSizeSources: [...sources].map(([source, count]) => ({ source, practices: count })),
  };
}

/**
 * The for-decision agenda items of the group's meetings, newest meeting first, each with its decision
 * if one is recorded (a new vote links only to an item not yet decided).
 */
export const decisionItems = (db: Db, group: Group) =>
  db
    .selectFrom('gov_agenda_item')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .leftJoin('gov_decision', 'gov_decision.item_id', 'gov_agenda_item.id')
    .select([
      'gov_agenda_item.id',
      'gov_agenda_item.title',
      'gov_meeting.id as meeting_id',
      'gov_meeting.title as meeting',
      'gov_meeting.held_on',
      'gov_decision.decision',
    ])
    .where('gov_committee.group_id', '=', group.id)
    .where('gov_agenda_item.for_decision', '=', true)
    .orderBy('gov_meeting.held_on', 'desc')
    .orderBy('gov_agenda_item.position')
    .execute();

export interface VoteInput {
  kind: string;
  question: string;
  papers: string;
  opensOn: string;
  closesOn: string;
  closesTime: string;
  weighting: string;
  item: string;
}

/** Opens a vote or consultation for the group's member practices (its administrators and governing body). */
export async function openVote(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: VoteInput,
  clock: Clock = systemClock,
) {
  if (!canManageVotes(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s administrators and governing body open member votes`,
    );
  const now = clock();
  const today = ukToday(now);
  const problems: FieldProblem[] = [];
  const kind = (voteKinds as readonly string[]).includes(input.kind)
    ? (input.kind as VoteKind)
    : undefined;
  if (!kind) problems.push({ field: 'kind', message: 'Choose a vote or a consultation' });
  const question = input.question.trim();
  if (!question || question.length > 500)
    problems.push({ field: 'question', message: 'Enter the question (up to 500 characters)' });
  const papers = input.papers.trim();
  if (!papers || papers.length > 5000)
    problems.push({
      field: 'papers',
      message: 'Enter the papers: a summary and links (up to 5,000 characters)',
    });
  const opensOn = input.opensOn.trim();
  if (!isSensibleDate(opensOn))
    problems.push({
      field: 'opensOn',
      message: `Enter the opening date, like 2026-12-01 ${DATE_YEARS_TEXT}`,
    });
  else if (opensOn < today)
    problems.push({ field: 'opensOn', message: 'The opening date cannot be in the past' });
  const closesAt = ukDeadline(input.closesOn.trim(), input.closesTime.trim());
  if (!closesAt)
    problems.push({
      field: 'closesOn',
      message: `Enter the deadline as a date and a 24-hour UK time, like 2026-12-15 ${DATE_YEARS_TEXT} and 17:00`,
    });
  else if (isSensibleDate(opensOn) && ukDateTime(closesAt).date <= opensOn)
    problems.push({
      field: 'closesOn',
      message: 'The deadline must be after the opening day',
    });
  else if (closesAt.getTime() <= now.getTime())
    problems.push({ field: 'closesOn', message: 'The deadline must be in the future' });
  const weighting = (voteWeightings as readonly string[]).includes(input.weighting)
    ? (input.weighting as VoteWeighting)
    : undefined;
  if (!weighting)
    problems.push({
      field: 'weighting',
      message: 'Choose one vote per practice or weighting by list size',
    });
  let itemId: number | null = null;
  if (input.item.trim()) {
    const id = Number(input.item);
    const item = isRowId(id)
      ? (await decisionItems(db, group)).find((i) => i.id === id)
      : undefined;
    if (!item)
      problems.push({ field: 'item', message: 'Choose an agenda item for decision, or none' });
    else if (item.decision !== null)
      problems.push({
        field: 'item',
        message: `“${item.title}” (${item.meeting}, ${item.held_on}) has already been decided; a vote can only inform a decision not yet made`,
      });
    else itemId = id;
  }
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('gov_member_vote')
      .values({
        group_id: group.id,
        kind: kind!,
        question,
        papers,
        opens_on: opensOn,
        closes_at: closesAt!,
        weighting: weighting!,
        item_id: itemId,
        created_by: principal.email,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_member_vote.opened',
        entityType: 'gov_member_vote',
        entityId: String(row.id),
        organisationId: group.id,
        after: { kind, question, opensOn, closesAt: closesAt!.toISOString(), weighting, itemId },
      },
      clock,
    );
    return row.id;
  });
}

/** Each member practice's nominated representatives (users of the group who cast its ballot). */
export async function representatives(db: Db, group: Group) {
  return db
    .selectFrom('gov_practice_voter')
    .innerJoin('app_user', 'app_user.id', 'gov_practice_voter.user_id')
    .innerJoin('organisation', 'organisation.id', 'gov_practice_voter.practice_id')
    .select([
      'gov_practice_voter.practice_id',
      'organisation.code as practice_code',
      'organisation.name as practice_name',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.display_name',
      'gov_practice_voter.nominated_on',
    ])
    .where('gov_practice_voter.group_id', '=', group.id)
    .where('app_user.disabled_at', 'is', null)
    .orderBy('organisation.name')
    .orderBy('app_user.email')
    .execute();
}

/** Nominates a user of the group as a member practice's representative (administrators, governing body). */
export async function nominateRepresentative(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { practice: string; email: string },
  clock: Clock = systemClock,
) {
  if (!canManageVotes(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s administrators and governing body nominate practice representatives`,
    );
  const problems: FieldProblem[] = [];
  const members = await listMembers(db, group.id, group.as_at);
  const practice = members.find((m) => m.code === input.practice.trim().toUpperCase());
  if (!practice) problems.push({ field: 'practice', message: 'Choose a member practice' });
  const email = input.email.trim().toLowerCase();
  const user = email
    ? await db
        .selectFrom('app_user')
        .innerJoin('role_grant', 'role_grant.user_id', 'app_user.id')
        .select(['app_user.id', 'app_user.email'])
        .where(sql<string>`lower(app_user.email)`, '=', email)
        .where('role_grant.organisation_id', '=', group.id)
        .where('app_user.disabled_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  if (!user)
    problems.push({
      field: 'email',
      message: `Enter the email address of a user with a role in ${group.name}`,
    });
  // Nominated already: found by the check, or (two nominations at once) by the primary key.
  const alreadyProblem = (): FieldProblem => ({
    field: 'email',
    message: `${user!.email} is already a representative of ${practice!.name}`,
  });
  if (practice && user) {
    const already = await db
      .selectFrom('gov_practice_voter')
      .select('user_id')
      .where('practice_id', '=', practice.id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (already) problems.push(alreadyProblem());
  }
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('gov_practice_voter')
        .values({
          group_id: group.id,
          practice_id: practice!.id,
          user_id: user!.id,
          nominated_on: ukToday(clock()),
          recorded_by: principal.email,
          recorded_at: clock(),
        })
        .execute();
      await audit(
        tx,
        userActor(principal, clientAddress),
        {
          action: 'gov_practice_voter.nominated',
          entityType: 'organisation',
          entityId: String(practice!.id),
          organisationId: group.id,
          after: { practice: practice!.code, representative: user!.email },
        },
        clock,
      );
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      const problem = alreadyProblem();
      throw new AppError('invalid_input', problem.message, [problem]);
    }
    throw error;
  }
}

const findVote = async (db: Db, group: Group, voteId: number) => {
  const vote = isRowId(voteId)
    ? await db
        .selectFrom('gov_member_vote')
        .selectAll()
        .where('id', '=', voteId)
        .where('group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!vote) throw new AppError('not_found', `No such member vote of ${group.name}`);
  return vote;
};
type VoteRow = Awaited<ReturnType<typeof findVote>>;

/** The agenda item a vote informs, with its meeting and decision (if recorded). */
async function linkedItem(db: Db, itemId: number | null, today: string) {
  if (itemId === null) return null;
  const row = await db
    .selectFrom('gov_agenda_item')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .leftJoin('gov_decision', 'gov_decision.item_id', 'gov_agenda_item.id')
    .select([
      'gov_agenda_item.id',
      'gov_agenda_item.title',
      'gov_meeting.id as meeting_id',
      'gov_meeting.title as meeting',
      'gov_meeting.held_on',
      'gov_decision.decision',
    ])
    .where('gov_agenda_item.id', '=', itemId)
    .executeTakeFirst();
  return row
    ? {
        itemId: row.id,
        item: row.title,
        meetingId: row.meeting_id,
        meeting: row.meeting,
        heldOn: row.held_on,
        held: row.held_on <= today,
        decision: row.decision,
      }
    : null;
}

/** What every view of a vote says about it: the question, papers, dates (deadline in UK time), counting. */
const voteHeader = (v: Selectable<GovMemberVoteTable>) => {
  const deadline = ukDateTime(v.closes_at);
  return {
    id: v.id,
    kind: v.kind,
    kindLabel: kindLabels[v.kind],
    question: v.question,
    papers: v.papers,
    opensOn: v.opens_on,
    closesAt: v.closes_at,
    closesUk: `${deadline.date} at ${deadline.time} (UK time)`,
    weighting: v.weighting,
    weightingLabel: weightingLabels[v.weighting],
    illustrative: v.illustrative,
  };
};

/**
 * One vote as its officers see it: status, turnout, who has not voted (and their representatives),
 * reminders, and — only once closed — each practice's choice, the totals and the result.
 */
export async function voteDetail(db: Db, group: Group, voteId: number, now: Date) {
  const vote = await findVote(db, group, voteId);
  return describeVote(db, group, vote, now);
}

async function describeVote(db: Db, group: Group, vote: VoteRow, now: Date) {
  const today = ukToday(now);
  const status = voteStatus(vote, now);
  const members = await memberPracticesOn(db, group, membershipDay(vote.opens_on, group.as_at));
  const ballots = await db
    .selectFrom('gov_member_ballot')
    .select(['practice_id', 'choice', 'comment', 'weight', 'cast_at', 'on_behalf'])
    .where('vote_id', '=', vote.id)
    .execute();
  const memberIds = new Set(members.practices.map((p) => p.practiceId));
  const counted = ballots.filter((b) => memberIds.has(b.practice_id));
  const byPractice = new Map(counted.map((b) => [b.practice_id, b]));
  const reps = await representatives(db, group);
  const repsOf = (practiceId: number) =>
    reps
      .filter((r) => r.practice_id === practiceId)
      .map((r) => ({ email: r.email, name: r.display_name }));
  const closed = status === 'closed';
  const practices = members.practices.map((p) => {
    const b = byPractice.get(p.practiceId);
    return {
      code: p.code,
      name: p.name,
      listSize: p.listSize,
      voted: b !== undefined,
      castAt: b?.cast_at ?? null,
      onBehalf: b?.on_behalf ?? false,
      weight: b?.weight ?? null,
      // Choices stay sealed until the deadline, even from officers.
      choice: closed && b ? b.choice : null,
      choiceLabel: closed && b ? choiceLabels[b.choice] : null,
      comment: closed && b ? b.comment : null,
      representatives: repsOf(p.practiceId),
    };
  });
  const t = turnout(members.practices, new Set(byPractice.keys()));
  const totals = tally(counted);
  const reminders = await db
    .selectFrom('gov_member_vote_reminder')
    .select(['sent_at', 'sent_by', 'practices'])
    .where('vote_id', '=', vote.id)
    .orderBy('sent_at', 'desc')
    .execute();
  return {
    ...voteHeader(vote),
    status,
    createdBy: vote.created_by,
    item: await linkedItem(db, vote.item_id, today),
    membersOn: members.day,
    listSizeSources: members.listSizeSources,
    turnout: t,
    practices,
    notVoted: practices.filter((p) => !p.voted),
    reminders,
    lastReminder: reminders[0] ?? null,
    results: closed
      ? {
          tally: totals,
          counted: countedFor(totals, vote.weighting),
          result: voteResult(vote.kind, vote.weighting, totals),
          rule: resultRule,
        }
      : null,
  };
}
export type VoteDetail = Awaited<ReturnType<typeof describeVote>>;

/** Every vote of the group, newest first, as its officers see them. */
export async function listVotes(db: Db, group: Group, now: Date) {
  const rows = await db
    .selectFrom('gov_member_vote')
    .selectAll()
    .where('group_id', '=', group.id)
    .orderBy('closes_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const votes: VoteDetail[] = [];
  for (const v of rows) votes.push(await describeVote(db, group, v, now));
  return { votes, illustrative: votes.some((v) => v.illustrative), rule: resultRule };
}

/**
 * What the public may see: closed votes' question, turnout, totals and result — never a practice's
 * choice, nor (weighted by list size) the list size behind a choice of one or two practices.
 */
export async function publicResults(db: Db, group: Group, now: Date) {
  const { votes } = await listVotes(db, group, now);
  const closed = votes.filter((v) => v.status === 'closed' && v.results);
  return {
    votes: closed.map((v) => {
      const {
        counted,
        turnout: shownTurnout,
        suppressed,
        ...totals
      } = publicTotals(v.weighting, v.results!.tally, v.turnout);
      return {
        id: v.id,
        kind: v.kind,
        question: v.question,
        opensOn: v.opensOn,
        closesAt: v.closesAt,
        closesUk: v.closesUk,
        weighting: v.weighting,
        weightingLabel: v.weightingLabel,
        membersOn: v.membersOn,
        turnout: shownTurnout,
        totals,
        counted,
        suppressed,
        result: v.results!.result,
        decision:
          v.item && v.item.held
            ? {
                meetingId: v.item.meetingId,
                meeting: v.item.meeting,
                heldOn: v.item.heldOn,
                item: v.item.item,
                decision: v.item.decision,
              }
            : null,
        illustrative: v.illustrative,
      };
    }),
    illustrative: closed.some((v) => v.illustrative),
    rule: resultRule,
    privacyRule: publicSuppressionRule,
  };
}

/** The practices this user represents in the group. */
const practicesOfUser = (db: Db, group: Group, userId: number) =>
  db
    .selectFrom('gov_practice_voter')
    .innerJoin('organisation', 'organisation.id', 'gov_practice_voter.practice_id')
    .select(['organisation.id', 'organisation.code', 'organisation.name'])
    .where('gov_practice_voter.group_id', '=', group.id)
    .where('gov_practice_voter.user_id', '=', userId)
    .orderBy('organisation.name')
    .execute();

/**
 * What is open for the signed-in user's practices: each vote not yet closed (and the recently closed
 * ones), with whether each of their practices has voted and its own ballot — never other practices'.
 */
export async function practiceVotes(db: Db, principal: Principal, group: Group, now: Date) {
  const mine = await practicesOfUser(db, group, principal.userId);
  const rows = await db
    .selectFrom('gov_member_vote')
    .selectAll()
    .where('group_id', '=', group.id)
    .orderBy('closes_at')
    .execute();
  const ids = mine.map((p) => p.id);
  const ballots = ids.length
    ? await db
        .selectFrom('gov_member_ballot')
        .select(['vote_id', 'practice_id', 'choice', 'comment', 'cast_at', 'cast_by'])
        .where('practice_id', 'in', ids)
        .execute()
    : [];
  const votes = rows.map((v) => {
    return {
      ...voteHeader(v),
      status: voteStatus(v, now),
      practices: mine.map((p) => {
        const b = ballots.find((x) => x.vote_id === v.id && x.practice_id === p.id);
        return {
          code: p.code,
          name: p.name,
          voted: b !== undefined,
          choice: b?.choice ?? null,
          choiceLabel: b ? choiceLabels[b.choice] : null,
          comment: b?.comment ?? null,
          castAt: b?.cast_at ?? null,
          castBy: b?.cast_by ?? null,
        };
      }),
    };
  });
  return {
    practices: mine.map((p) => ({ code: p.code, name: p.name })),
    open: votes.filter((v) => v.status === 'open'),
    upcoming: votes.filter((v) => v.status === 'upcoming'),
    closed: votes.filter((v) => v.status === 'closed').reverse(),
    illustrative: votes.some((v) => v.illustrative),
  };
}

/** One vote for a representative's ballot form: refused when the user represents no practice. */
export async function ballotForm(
  db: Db,
  principal: Principal,
  group: Group,
  voteId: number,
  now: Date,
) {
  const view = await practiceVotes(db, principal, group, now);
  const all = [...view.open, ...view.upcoming, ...view.closed];
  const vote = all.find((v) => v.id === voteId);
  if (!vote) {
    await findVote(db, group, voteId); // not found, rather than a silent empty page
    throw new AppError('not_found', `No such member vote of ${group.name}`);
  }
  return { vote, practices: view.practices, choices: choicesFor(vote.kind) };
}

export interface BallotInput {
  practice: string;
  choice: string;
  comment: string;
  /** 'yes' when the secretary records a practice's signed paper return for it. */
  onBehalf?: string;
}

/**
 * Casts a practice's one ballot. Refused (with the reason, audited, nothing saved): a user who is not
 * the practice's representative; before the opening day or from the deadline; a second ballot from the
 * practice (also when two arrive at once: the primary key decides); a choice the kind does not allow.
 */
export async function castBallot(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  voteId: number,
  input: BallotInput,
  clock: Clock = systemClock,
) {
  const vote = await findVote(db, group, voteId);
  const now = clock();
  const refuse = async (practice: string | null, reason: string) =>
    audit(
      db,
      userActor(principal, clientAddress),
      {
        action: 'gov_member_ballot.refused',
        entityType: 'gov_member_vote',
        entityId: String(vote.id),
        organisationId: group.id,
        after: { practice, reason },
      },
      clock,
    );
  const code = input.practice.trim().toUpperCase();
  const onBehalf = input.onBehalf === 'yes';
  if (onBehalf && !canManageVotes(principal, group)) {
    await refuse(code || null, 'paper return recorded by someone who does not run votes');
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s governing body and administrators record a practice's paper return`,
    );
  }
  // A practice's paper return: the secretary may record it for any member practice.
  const mine = onBehalf
    ? (await memberPracticesOn(db, group, membershipDay(vote.opens_on, group.as_at))).practices.map(
        (p) => ({ id: p.practiceId, code: p.code, name: p.name }),
      )
    : await practicesOfUser(db, group, principal.userId);
  const practice = code
    ? mine.find((p) => p.code === code)
    : mine.length === 1
      ? mine[0]
      : undefined;
  if (onBehalf && !practice)
    throw new AppError('invalid_input', 'Choose the member practice whose return this is', [
      { field: 'returnPractice', message: 'Choose the member practice whose return this is' },
    ]);
  if (!practice) {
    if (!mine.length || code) {
      await refuse(code || null, 'not the practice’s nominated representative');
      throw new AppError(
        'forbidden',
        code
          ? `You are not a nominated representative of practice ${code}; only its representatives cast its ballot`
          : `You are not a nominated representative of any member practice of ${group.name}`,
      );
    }
    throw new AppError('invalid_input', 'Choose the practice you are voting for', [
      { field: 'practice', message: 'Choose the practice you are voting for' },
    ]);
  }
  const status = voteStatus(vote, now);
  if (status === 'upcoming') {
    await refuse(practice.code, 'before the vote opened');
    throw new AppError(
      'conflict',
      `This ${vote.kind} opens on ${vote.opens_on}; no ballot can be cast before then`,
    );
  }
  if (status === 'closed') {
    const deadline = ukDateTime(vote.closes_at);
    await refuse(practice.code, 'after the deadline');
    throw new AppError(
      'conflict',
      `The deadline (${deadline.date} at ${deadline.time}, UK time) has passed; the ballot was not recorded`,
    );
  }
  const members = await memberPracticesOn(db, group, membershipDay(vote.opens_on, group.as_at));
  const member = members.practices.find((p) => p.practiceId === practice.id);
  if (!member) {
    await refuse(practice.code, 'not a member practice when the vote opened');
    throw new AppError(
      'forbidden',
      `${practice.name} was not a member practice of ${group.name} when this vote opened`,
    );
  }
  const allowed = choicesFor(vote.kind);
  const choice = (ballotChoices as readonly string[]).includes(input.choice)
    ? (input.choice as BallotChoice)
    : undefined;
  const problems: FieldProblem[] = [];
  if (!choice || !allowed.includes(choice)) {
    if (choice) await refuse(practice.code, `choice '${choice}' on a ${vote.kind}`);
    problems.push({
      field: 'choice',
      message:
        vote.kind === 'vote'
          ? 'Choose for, against or abstain (a vote takes no other answer)'
          : 'A consultation takes a view, not a vote for or against',
    });
  }
  const comment = input.comment.trim();
  if (comment.length > 2000)
    problems.push({ field: 'comment', message: 'The comment can be up to 2,000 characters' });
  else if (vote.kind === 'consultation' && !comment)
    problems.push({ field: 'comment', message: 'Enter the practice’s view' });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const secondBallot = () =>
    new AppError(
      'conflict',
      `${practice.name} has already voted on this ${vote.kind}; a practice has one ballot and it cannot be replaced`,
    );
  const already = await db
    .selectFrom('gov_member_ballot')
    .select('cast_at')
    .where('vote_id', '=', vote.id)
    .where('practice_id', '=', practice.id)
    .executeTakeFirst();
  if (already) {
    await refuse(practice.code, 'second ballot from the practice');
    throw secondBallot();
  }
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('gov_member_ballot')
        .values({
          vote_id: vote.id,
          practice_id: practice.id,
          choice: choice!,
          comment: comment || null,
          weight: ballotWeight(vote.weighting, member.listSize),
          cast_by: principal.email,
          on_behalf: onBehalf,
          cast_at: now,
        })
        .execute();
      await audit(
        tx,
        userActor(principal, clientAddress),
        {
          action: 'gov_member_ballot.cast',
          entityType: 'gov_member_vote',
          entityId: String(vote.id),
          organisationId: group.id,
          // Not the choice: the audit log is read by administrators, and choices stay sealed until
          // the deadline. The ballot row is the record of it.
          after: { practice: practice.code, kind: vote.kind, paperReturn: onBehalf },
        },
        clock,
      );
    });
  } catch (error) {
    // Two ballots for one practice at once: the primary key keeps the first.
    if ((error as { code?: string }).code === '23505') {
      await refuse(practice.code, 'second ballot from the practice (at the same moment)');
      throw secondBallot();
    }
    throw error;
  }
  return { practice: practice.code };
}

/** Ends a user's nomination as a practice's representative (they can no longer cast its ballot). */
export async function removeRepresentative(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { representative: string },
  clock: Clock = systemClock,
) {
  if (!canManageVotes(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s governing body and administrators nominate practice representatives`,
    );
  const [practiceText, userText] = input.representative.split(':');
  const practiceId = Number(practiceText);
  const userId = Number(userText);
  const row =
    isRowId(practiceId) && isRowId(userId)
      ? await db
          .selectFrom('gov_practice_voter')
          .innerJoin('organisation', 'organisation.id', 'gov_practice_voter.practice_id')
          .innerJoin('app_user', 'app_user.id', 'gov_practice_voter.user_id')
          .select(['organisation.code', 'app_user.email'])
          .where('gov_practice_voter.group_id', '=', group.id)
          .where('gov_practice_voter.practice_id', '=', practiceId)
          .where('gov_practice_voter.user_id', '=', userId)
          .executeTakeFirst()
      : undefined;
  if (!row)
    throw new AppError('invalid_input', 'Choose the representative to remove', [
      { field: 'representative', message: 'Choose the representative to remove' },
    ]);
  await db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('gov_practice_voter')
      .where('group_id', '=', group.id)
      .where('practice_id', '=', practiceId)
      .where('user_id', '=', userId)
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_practice_voter.removed',
        entityType: 'organisation',
        entityId: row.code,
        organisationId: group.id,
        before: { practice: row.code, representative: row.email },
      },
      clock,
    );
  });
}

/**
 * Records that the practices not yet voted were reminded (the page gives their representatives'
 * addresses; sending is done outside Flock). Only while the vote is open and someone has not voted.
 */
export async function recordReminder(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  voteId: number,
  clock: Clock = systemClock,
) {
  if (!canManageVotes(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s administrators and governing body send reminders`,
    );
  const vote = await findVote(db, group, voteId);
  const detail = await describeVote(db, group, vote, clock());
  if (detail.status !== 'open')
    throw new AppError('invalid_input', 'Reminders are sent only while the vote is open', [
      { field: 'reminders', message: 'Reminders are sent only while the vote is open' },
    ]);
  if (!detail.notVoted.length)
    throw new AppError('invalid_input', 'Every member practice has voted', [
      { field: 'reminders', message: 'Every member practice has voted' },
    ]);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('gov_member_vote_reminder')
      .values({
        vote_id: vote.id,
        practices: detail.notVoted.length,
        sent_by: principal.email,
        sent_at: clock(),
      })
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_member_vote.reminded',
        entityType: 'gov_member_vote',
        entityId: String(vote.id),
        organisationId: group.id,
        after: {
          practices: detail.notVoted.map((p) => p.code),
          representatives: detail.notVoted.flatMap((p) => p.representatives.map((r) => r.email)),
        },
      },
      clock,
    );
  });
  return detail.notVoted.length;
}
