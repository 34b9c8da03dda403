// Declaring, revising and ending interests, and nil returns: who may, what is checked, and the audit
// trail. An edit adds a version; nothing is overwritten or deleted.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { interestCategories, type InterestCategory } from './interests.js';
import { isRowId } from '../platform/db/ids.js';

/** The board secretary's role: the group's administrators and governing body keep the register. */
export function canManageRegister(principal: Principal | undefined, group: Group): boolean {
  return (principal?.grants ?? []).some(
    (g) => g.organisationId === group.id && (g.role === 'admin' || g.role === 'governing_body'),
  );
}

/** The register's person for this user in this group, if they have one. */
export const personOfUser = (db: Db, group: Group, userId: number) =>
  db
    .selectFrom('gov_person')
    .select(['id', 'name'])
    .where('group_id', '=', group.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();

export interface DeclarationInput {
  person: string;
  category: string;
  counterpart: string;
  counterpartCode: string;
  description: string;
  aroseOn: string;
  endedOn: string;
  actionTaken: string;
}

/**
 * The person a declaration is for: the user's own record, or (for those who keep the register) anyone
 * in the group. Anyone else is refused, and the attempt is audited.
 */
async function personFor(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  personId: number,
  clock: Clock,
) {
  const person = await db
    .selectFrom('gov_person')
    .select(['id', 'name', 'user_id'])
    .where('id', '=', personId)
    .where('group_id', '=', group.id)
    .executeTakeFirst();
  if (!person) throw new AppError('not_found', `No such person in ${group.name}'s register`);
  if (person.user_id !== principal.userId && !canManageRegister(principal, group)) {
    await audit(
      db,
      userActor(principal, clientAddress),
      {
        action: 'gov_interest.refused',
        entityType: 'gov_person',
        entityId: String(person.id),
        organisationId: group.id,
        after: { reason: 'declaration for someone else' },
      },
      clock,
    );
    throw new AppError(
      'forbidden',
      `You can declare only your own interests; ${group.name}'s register is kept by its governing body and administrators`,
    );
  }
  return person;
}

function checkDeclaration(input: DeclarationInput, today: string) {
  const problems: FieldProblem[] = [];
  const category = interestCategories.find((c) => c === input.category) as
    InterestCategory | undefined;
  if (!category) problems.push({ field: 'category', message: 'Choose the type of interest' });
  const counterpart = input.counterpart.trim();
  if (!counterpart || counterpart.length > 200)
    problems.push({
      field: 'counterpart',
      message: 'Enter the organisation or person the interest is in (up to 200 characters)',
    });
  const code = input.counterpartCode.trim().toUpperCase();
  if (code && !/^[A-Z0-9]{3,9}$/.test(code))
    problems.push({
      field: 'counterpartCode',
      message: 'An ODS code is 3 to 9 letters and digits, like RYR',
    });
  const description = input.description.trim();
  if (!description || description.length > 1000)
    problems.push({
      field: 'description',
      message: 'Describe the interest (up to 1,000 characters)',
    });
  const aroseOn = input.aroseOn.trim();
  if (!isSensibleDate(aroseOn))
    problems.push({
      field: 'aroseOn',
      message: `Enter the date the interest arose, like 2019-04-01 ${DATE_YEARS_TEXT}`,
    });
  else if (aroseOn > today)
    problems.push({
      field: 'aroseOn',
      message: 'The date the interest arose cannot be in the future',
    });
  const endedOn = input.endedOn.trim();
  if (endedOn && !isSensibleDate(endedOn))
    problems.push({
      field: 'endedOn',
      message: `Enter the date the interest ended, like 2019-10-01 ${DATE_YEARS_TEXT}, or leave it empty`,
    });
  else if (endedOn && isSensibleDate(aroseOn) && endedOn < aroseOn)
    problems.push({ field: 'endedOn', message: 'The interest cannot end before it arose' });
  else if (endedOn && endedOn > today)
    problems.push({ field: 'endedOn', message: 'The end date cannot be in the future' });
  const actionTaken = input.actionTaken.trim();
  if (!actionTaken || actionTaken.length > 500)
    problems.push({
      field: 'actionTaken',
      message: 'Say how the interest is managed, or "No action" (up to 500 characters)',
    });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  return {
    category: category!,
    counterpart,
    code,
    description,
    aroseOn,
    endedOn: endedOn || null,
    actionTaken,
  };
}

/** One version of a declaration as stored: the checked fields, declared today by whoever recorded it. */
const versionRow = (
  interestId: number,
  version: number,
  d: ReturnType<typeof checkDeclaration>,
  orgId: number | null,
  today: string,
  recordedBy: string,
  at: Date,
) => ({
  interest_id: interestId,
  version,
  category: d.category,
  counterpart: d.counterpart,
  counterpart_org_id: orgId,
  description: d.description,
  arose_on: d.aroseOn,
  declared_on: today,
  ended_on: d.endedOn,
  action_taken: d.actionTaken,
  recorded_by: recordedBy,
  recorded_at: at,
});

async function counterpartId(db: Db, code: string) {
  if (!code) return null;
  const org = await db
    .selectFrom('organisation')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst();
  if (!org)
    throw new AppError('invalid_input', `No organisation has the code ${code}`, [
      { field: 'counterpartCode', message: `No organisation has the code ${code}` },
    ]);
  return org.id;
}

/** A new declaration (version 1), declared today. */
export async function declareInterest(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: DeclarationInput,
  clock: Clock = systemClock,
) {
  const today = isoDate(clock());
  const personId = Number(input.person);
  if (!isRowId(personId))
    throw new AppError('invalid_input', 'Choose who the declaration is for', [
      { field: 'person', message: 'Choose who the declaration is for' },
    ]);
  const person = await personFor(db, principal, clientAddress, group, personId, clock);
  const d = checkDeclaration(input, today);
  const orgId = await counterpartId(db, d.code);
  return db.transaction().execute(async (tx) => {
    const at = clock();
    const interest = await tx
      .insertInto('gov_interest')
      .values({ person_id: person.id, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('gov_interest_version')
      .values(versionRow(interest.id, 1, d, orgId, today, principal.email, at))
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_interest.declared',
        entityType: 'gov_interest',
        entityId: String(interest.id),
        organisationId: group.id,
        after: { person: person.name, ...d, declaredOn: today },
      },
      clock,
    );
    return interest.id;
  });
}

/** A declaration as it stands and every earlier version, oldest first. */
export async function interestHistory(db: Db, group: Group, interestId: number) {
  const interest = await db
    .selectFrom('gov_interest')
    .innerJoin('gov_person', 'gov_person.id', 'gov_interest.person_id')
    .select([
      'gov_interest.id',
      'gov_person.id as person_id',
      'gov_person.name',
      'gov_person.user_id',
    ])
    .where('gov_interest.id', '=', interestId)
    .where('gov_person.group_id', '=', group.id)
    .executeTakeFirst();
  if (!interest) throw new AppError('not_found', `No such declaration in ${group.name}'s register`);
  const versions = await db
    .selectFrom('gov_interest_version')
    .selectAll()
    .where('interest_id', '=', interestId)
    .orderBy('version')
    .execute();
  return { ...interest, versions, current: versions.at(-1)! };
}

/** A change to a declaration (a new version, declared today): what changed, or that it has ended. */
export async function reviseInterest(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  interestId: number,
  input: Omit<DeclarationInput, 'person'>,
  clock: Clock = systemClock,
) {
  const today = isoDate(clock());
  const history = await interestHistory(db, group, interestId);
  await personFor(db, principal, clientAddress, group, history.person_id, clock);
  const d = checkDeclaration({ ...input, person: String(history.person_id) }, today);
  const orgId = await counterpartId(db, d.code);
  return db.transaction().execute(async (tx) => {
    const at = clock();
    // The primary key (interest, version) refuses a second writer of the same version.
    const version = history.current.version + 1;
    await tx
      .insertInto('gov_interest_version')
      .values(versionRow(interestId, version, d, orgId, today, principal.email, at))
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_interest.revised',
        entityType: 'gov_interest',
        entityId: String(interestId),
        organisationId: group.id,
        before: {
          version: history.current.version,
          description: history.current.description,
          endedOn: history.current.ended_on,
        },
        after: { version, ...d, declaredOn: today },
      },
      clock,
    );
    return version;
  });
}

/** "Nothing to declare", dated today, for the user's own record or (for those who keep it) anyone's. */
export async function recordNilReturn(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  personId: number,
  clock: Clock = systemClock,
) {
  if (!isRowId(personId))
    throw new AppError('invalid_input', 'Choose who the nil return is for', [
      { field: 'nilPerson', message: 'Choose who the nil return is for' },
    ]);
  const person = await personFor(db, principal, clientAddress, group, personId, clock);
  const today = isoDate(clock());
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('gov_nil_return')
      .values({
        person_id: person.id,
        declared_on: today,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_nil_return.recorded',
        entityType: 'gov_person',
        entityId: String(person.id),
        organisationId: group.id,
        after: { person: person.name, declaredOn: today },
      },
      clock,
    );
  });
}
