// The gifts and hospitality register: recording offers (accepted or declined) with the ruling of the
// thresholds in force that day, approval where needed, and what is published.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { penceAsPounds } from '../platform/money.js';
import { readPounds } from '../finance/inputs.js';
import { canManageRegister } from './declarations.service.js';
import { ruleOnOffer, thresholdsOn } from './gifts.js';
import { registerOfInterests } from './register.service.js';
import { isRowId } from '../platform/db/ids.js';

export interface GiftInput {
  person: string;
  kind: string;
  offeror: string;
  fromSupplier: string;
  description: string;
  value: string;
  offeredOn: string;
  accepted: string;
  reason: string;
}

/** Records an offer for oneself, or (for the register's keepers) for anyone in the group. */
export async function recordGift(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: GiftInput,
  clock: Clock = systemClock,
) {
  const today = isoDate(clock());
  const problems: FieldProblem[] = [];
  const personId = Number(input.person);
  const person = isRowId(personId)
    ? await db
        .selectFrom('gov_person')
        .select(['id', 'name', 'user_id'])
        .where('id', '=', personId)
        .where('group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!person) problems.push({ field: 'person', message: 'Choose who was offered it' });
  else if (person.user_id !== principal.userId && !canManageRegister(principal, group)) {
    await audit(
      db,
      userActor(principal, clientAddress),
      {
        action: 'gov_gift.refused',
        entityType: 'gov_person',
        entityId: String(person.id),
        organisationId: group.id,
        after: { reason: 'gift recorded for someone else' },
      },
      clock,
    );
    throw new AppError(
      'forbidden',
      'You can record only offers made to you; the register’s keepers record for others',
    );
  }
  const kind = input.kind === 'gift' || input.kind === 'hospitality' ? input.kind : undefined;
  if (!kind) problems.push({ field: 'kind', message: 'Choose gift or hospitality' });
  const offeror = input.offeror.trim();
  if (!offeror || offeror.length > 200)
    problems.push({ field: 'offeror', message: 'Enter who offered it (up to 200 characters)' });
  const fromSupplier =
    input.fromSupplier === 'yes' ? true : input.fromSupplier === 'no' ? false : undefined;
  if (fromSupplier === undefined)
    problems.push({
      field: 'fromSupplier',
      message: 'Say whether they supply or contract with the group',
    });
  const description = input.description.trim();
  if (!description || description.length > 500)
    problems.push({
      field: 'description',
      message: 'Describe the gift or hospitality (up to 500 characters)',
    });
  const value = readPounds(input.value, 'value', 'The estimated value', problems, {
    max: {
      pence: 100_000_000n,
      why: 'larger than any gift or hospitality: check the amount, or report it as a possible breach',
    },
  });
  if (value === undefined && !problems.some((p) => p.field === 'value'))
    problems.push({ field: 'value', message: 'Enter the estimated value in pounds' });
  const offeredOn = input.offeredOn.trim();
  if (!isSensibleDate(offeredOn))
    problems.push({
      field: 'offeredOn',
      message: `Enter the date it was offered, like 2019-03-14 ${DATE_YEARS_TEXT}`,
    });
  else if (offeredOn > today)
    problems.push({ field: 'offeredOn', message: 'The date offered cannot be in the future' });
  const accepted = input.accepted === 'yes' ? true : input.accepted === 'no' ? false : undefined;
  if (accepted === undefined)
    problems.push({ field: 'accepted', message: 'Say whether it was accepted or declined' });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const thresholds = thresholdsOn(offeredOn);
  const ruling = ruleOnOffer(
    { kind: kind!, fromSupplier: fromSupplier!, valuePence: value! },
    thresholds,
  );
  if (accepted && ruling.may === 'decline')
    throw new AppError('invalid_input', `This must be declined: ${ruling.reason}`, [
      { field: 'accepted', message: `This must be declined: ${ruling.reason}` },
    ]);
  const reason = input.reason.trim() || null;
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('gov_gift')
      .values({
        person_id: person!.id,
        kind: kind!,
        offeror,
        from_supplier: fromSupplier!,
        description,
        value_pence: value!,
        offered_on: offeredOn,
        accepted: accepted!,
        reason,
        thresholds_version: thresholds.version,
        ruling: ruling.reason,
        must_declare: ruling.declare || !accepted,
        approval: accepted && ruling.approvalNeeded ? 'pending' : 'not needed',
        decided_by: null,
        decided_on: null,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_gift.recorded',
        entityType: 'gov_gift',
        entityId: String(row.id),
        organisationId: group.id,
        after: {
          person: person!.name,
          kind,
          offeror,
          value: penceAsPounds(value!),
          offeredOn,
          accepted,
          ruling: ruling.reason,
        },
      },
      clock,
    );
    return row.id;
  });
}

/** A keeper approves or refuses hospitality over the approval threshold (not their own). */
export async function decideGift(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { gift: string; decision: string },
  clock: Clock = systemClock,
) {
  if (!canManageRegister(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s governing body and administrators approve hospitality`,
    );
  const id = Number(input.gift);
  const gift = isRowId(id)
    ? await db
        .selectFrom('gov_gift')
        .innerJoin('gov_person', 'gov_person.id', 'gov_gift.person_id')
        .select(['gov_gift.id', 'gov_gift.approval', 'gov_person.user_id', 'gov_person.name'])
        .where('gov_gift.id', '=', id)
        .where('gov_person.group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  const problems: FieldProblem[] = [];
  if (!gift || gift.approval !== 'pending')
    problems.push({ field: 'gift', message: 'Choose an offer waiting for approval' });
  else if (gift.user_id === principal.userId)
    problems.push({ field: 'gift', message: 'Someone else must approve your own hospitality' });
  const decision =
    input.decision === 'approved' || input.decision === 'refused' ? input.decision : undefined;
  if (!decision) problems.push({ field: 'decision', message: 'Choose approve or refuse' });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('gov_gift')
      .set({ approval: decision!, decided_by: principal.email, decided_on: isoDate(clock()) })
      .where('id', '=', gift!.id)
      .where('approval', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      throw new AppError('invalid_input', 'That offer was decided already', [
        { field: 'gift', message: 'That offer was decided already' },
      ]);
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: `gov_gift.${decision}`,
        entityType: 'gov_gift',
        entityId: String(gift!.id),
        organisationId: group.id,
        before: { approval: 'pending' },
        after: { approval: decision, person: gift!.name },
      },
      clock,
    );
  });
}

/** The register: every offer with who, what, value and ruling; `published` for the public one. */
export async function giftsRegister(db: Db, group: Group, today: string) {
  const rows = await db
    .selectFrom('gov_gift')
    .innerJoin('gov_person', 'gov_person.id', 'gov_gift.person_id')
    .select([
      'gov_gift.id',
      'gov_person.id as person_id',
      'gov_person.name',
      'gov_gift.kind',
      'gov_gift.offeror',
      'gov_gift.from_supplier',
      'gov_gift.description',
      'gov_gift.value_pence',
      'gov_gift.offered_on',
      'gov_gift.accepted',
      'gov_gift.reason',
      'gov_gift.thresholds_version',
      'gov_gift.ruling',
      'gov_gift.must_declare',
      'gov_gift.approval',
      'gov_gift.decided_by',
      'gov_gift.decided_on',
    ])
    .where('gov_person.group_id', '=', group.id)
    .orderBy('gov_gift.offered_on', 'desc')
    .execute();
  const register = await registerOfInterests(db, group, today);
  const decisionMakers = new Set(register.people.filter((p) => p.decisionMaker).map((p) => p.id));
  return {
    gifts: rows.map((g) => ({
      ...g,
      published: g.must_declare && decisionMakers.has(g.person_id),
    })),
    pending: rows.filter((g) => g.approval === 'pending'),
    people: register.people,
    illustrative: register.illustrative,
  };
}
