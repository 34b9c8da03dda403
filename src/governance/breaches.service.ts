// The breaches register: recording breaches of the conflicts of interest (or gifts, or procurement)
// rules, following them up to an anonymised public summary and closure, who may, and what is published.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { canManageRegister, personOfUser } from './declarations.service.js';
import { breachCategoryLabels } from './breaches.table.js';
import {
  daysOpen,
  publicBreachRegister,
  readBreach,
  readBreachUpdate,
  type BreachInput,
  type BreachUpdateInput,
} from './breaches.js';
import { isRowId } from '../platform/db/ids.js';

/** Is this user the group's conflicts of interest guardian (their register entry holds a current guardian appointment)? */
export async function isGuardian(
  db: Db,
  principal: Principal | undefined,
  group: Group,
  today: string,
): Promise<boolean> {
  if (!principal) return false;
  const me = await personOfUser(db, group, principal.userId);
  if (!me) return false;
  const appointment = await db
    .selectFrom('gov_appointment')
    .select('id')
    .where('person_id', '=', me.id)
    .where('is_guardian', '=', true)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .executeTakeFirst();
  return appointment !== undefined;
}

/**
 * Who may do what with the breaches register: the guardian, the governing body and administrators
 * keep it; lay members (who sit on the audit committee) and oversight may read it. It names people and
 * what they did, so other officers (finance, contracts, analysts) and member practices may not.
 */
export async function breachAccess(
  db: Db,
  principal: Principal | undefined,
  group: Group,
  ancestorIds: readonly number[],
  today: string,
) {
  const keeper =
    canManageRegister(principal, group) || (await isGuardian(db, principal, group, today));
  const reader = (principal?.grants ?? []).some((g) =>
    g.organisationId === group.id
      ? g.role === 'lay_member'
      : g.role === 'oversight' &&
        (g.organisationType === 'nation' || ancestorIds.includes(g.organisationId)),
  );
  return { keeper, reader: keeper || reader };
}

async function refuse(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  reason: string,
  entityId: string | null,
  clock: Clock,
): Promise<never> {
  await audit(
    db,
    userActor(principal, clientAddress),
    {
      action: 'gov_breach.refused',
      entityType: 'gov_breach',
      entityId,
      organisationId: group.id,
      after: { reason },
    },
    clock,
  );
  throw new AppError(
    'forbidden',
    `Only ${group.name}'s conflicts of interest guardian, governing body and administrators keep the breaches register`,
  );
}

/** Records a breach (keepers only; anyone else is refused and the attempt audited). */
export async function recordBreach(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: BreachInput,
  clock: Clock = systemClock,
) {
  const today = isoDate(clock());
  if (!canManageRegister(principal, group) && !(await isGuardian(db, principal, group, today)))
    return refuse(db, principal, clientAddress, group, 'record a breach', null, clock);
  const { problems, value } = readBreach(input, today);
  const person =
    value?.personId != null
      ? await db
          .selectFrom('gov_person')
          .select(['id', 'name'])
          .where('id', '=', value.personId)
          .where('group_id', '=', group.id)
          .executeTakeFirst()
      : undefined;
  if (value?.personId != null && !person)
    problems.push({ field: 'person', message: 'Choose the person concerned from the list' });
  if (problems.length || !value)
    throw new AppError('invalid_input', problems[0]!.message, problems);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('gov_breach')
      .values({
        group_id: group.id,
        category: value.category,
        occurred_on: value.occurredOn,
        identified_on: value.identifiedOn,
        person_id: person?.id ?? null,
        description: value.description,
        action_taken: value.actionTaken,
        reported_to: value.reportedTo,
        public_summary: null,
        closed_on: null,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_breach.recorded',
        entityType: 'gov_breach',
        entityId: String(row.id),
        organisationId: group.id,
        after: {
          category: value.category,
          occurredOn: value.occurredOn,
          identifiedOn: value.identifiedOn,
          person: person?.name ?? null,
          description: value.description,
          actionTaken: value.actionTaken,
          reportedTo: value.reportedTo,
        },
      },
      clock,
    );
    return row.id;
  });
}

/** One breach of the group, in full (for the register's readers). */
export async function breachOf(db: Db, group: Group, id: number, today: string) {
  const row = isRowId(id)
    ? await db
        .selectFrom('gov_breach')
        .leftJoin('gov_person', 'gov_person.id', 'gov_breach.person_id')
        .selectAll('gov_breach')
        .select('gov_person.name as person')
        .where('gov_breach.id', '=', id)
        .where('gov_breach.group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No such breach in ${group.name}'s register`);
  return full(row, today);
}

/** Follows a breach up: action taken, reported to, the anonymised public summary, closure. Keepers only. */
export async function updateBreach(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  id: number,
  input: BreachUpdateInput,
  clock: Clock = systemClock,
) {
  const today = isoDate(clock());
  if (!canManageRegister(principal, group) && !(await isGuardian(db, principal, group, today)))
    return refuse(db, principal, clientAddress, group, 'update a breach', String(id), clock);
  const before = await breachOf(db, group, id, today);
  const names = (
    await db.selectFrom('gov_person').select('name').where('group_id', '=', group.id).execute()
  ).map((p) => p.name);
  const { problems, value } = readBreachUpdate(input, before.identified_on, today, names);
  if (problems.length || !value)
    throw new AppError('invalid_input', problems[0]!.message, problems);
  const action =
    value.closedOn && !before.closed_on
      ? 'gov_breach.closed'
      : !value.closedOn && before.closed_on
        ? 'gov_breach.reopened'
        : 'gov_breach.updated';
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('gov_breach')
      .set({
        action_taken: value.actionTaken,
        reported_to: value.reportedTo,
        public_summary: value.publicSummary,
        closed_on: value.closedOn,
      })
      .where('id', '=', before.id)
      .where('group_id', '=', group.id)
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action,
        entityType: 'gov_breach',
        entityId: String(before.id),
        organisationId: group.id,
        before: {
          actionTaken: before.action_taken,
          reportedTo: before.reported_to,
          publicSummary: before.public_summary,
          closedOn: before.closed_on,
        },
        after: value,
      },
      clock,
    );
  });
}

interface FullRow {
  id: number;
  category: keyof typeof breachCategoryLabels;
  occurred_on: string;
  identified_on: string;
  person_id: number | null;
  person: string | null;
  description: string;
  action_taken: string;
  reported_to: string | null;
  public_summary: string | null;
  closed_on: string | null;
  illustrative: boolean;
  recorded_by: string;
  recorded_at: Date;
}

const full = (b: FullRow, today: string) => ({
  id: b.id,
  category: b.category,
  categoryLabel: breachCategoryLabels[b.category],
  occurred_on: b.occurred_on,
  identified_on: b.identified_on,
  person_id: b.person_id,
  person: b.person,
  description: b.description,
  action_taken: b.action_taken,
  reported_to: b.reported_to,
  public_summary: b.public_summary,
  published: b.public_summary !== null,
  closed_on: b.closed_on,
  open: b.closed_on === null,
  days_open: daysOpen(b.identified_on, b.closed_on, today),
  illustrative: b.illustrative,
  recorded_by: b.recorded_by,
  recorded_at: b.recorded_at,
});

/** The full register: open breaches first (longest open first), then closed ones, newest first. */
export async function breachRegister(db: Db, group: Group, today: string) {
  const rows = await db
    .selectFrom('gov_breach')
    .leftJoin('gov_person', 'gov_person.id', 'gov_breach.person_id')
    .selectAll('gov_breach')
    .select('gov_person.name as person')
    .where('gov_breach.group_id', '=', group.id)
    .execute();
  const breaches = rows
    .map((b) => full(b, today))
    .sort(
      (a, b) =>
        Number(a.closed_on !== null) - Number(b.closed_on !== null) ||
        (a.open
          ? a.identified_on.localeCompare(b.identified_on)
          : b.identified_on.localeCompare(a.identified_on)) ||
        a.id - b.id,
    );
  return {
    breaches,
    open: breaches.filter((b) => b.open).length,
    illustrative: breaches.some((b) => b.illustrative),
  };
}

/** The public breaches register: anonymised summaries, month identified, and how many are under review. */
export async function publicBreaches(db: Db, group: Group, today: string) {
  const rows = await db
    .selectFrom('gov_breach')
    .select([
      'id',
      'category',
      'identified_on',
      'action_taken',
      'reported_to',
      'public_summary',
      'closed_on',
      'illustrative',
    ])
    .where('group_id', '=', group.id)
    .where('identified_on', '<=', today)
    .execute();
  return {
    ...publicBreachRegister(rows, today),
    illustrative: rows.some((r) => r.illustrative),
  };
}

/** The group's people, for choosing the person a breach concerns. */
export const peopleOf = (db: Db, group: Group) =>
  db
    .selectFrom('gov_person')
    .select(['id', 'name'])
    .where('group_id', '=', group.id)
    .orderBy('name')
    .execute();
