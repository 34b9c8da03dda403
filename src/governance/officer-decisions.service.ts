// Decisions taken outside meetings by named officers under the group's scheme of delegation: recording
// them (administrators and the governing body), and listing them with the officer's name and role.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { penceAsPounds } from '../platform/money.js';
import { canManageRegister } from './declarations.service.js';
import { roleLabels, type AppointmentRole } from './governance.table.js';
import { readOfficerDecision, type OfficerDecisionInput } from './breaches.js';

interface Appointment {
  person_id: number;
  body: string;
  role: AppointmentRole;
  starts_on: string;
  ends_on: string | null;
}

const heldOn = (a: Appointment, day: string) =>
  a.starts_on <= day && (a.ends_on === null || a.ends_on >= day);
const rolesText = (appointments: Appointment[]) =>
  appointments.map((a) => `${roleLabels[a.role]}, ${a.body}`).join('; ');

const appointmentsOf = (db: Db, personIds: number[]) =>
  personIds.length
    ? db
        .selectFrom('gov_appointment')
        .select(['person_id', 'body', 'role', 'starts_on', 'ends_on'])
        .where('person_id', 'in', personIds)
        .orderBy('starts_on')
        .execute()
    : Promise.resolve([] as Appointment[]);

/** The group's people holding an appointment on `day`, with their roles: who may be named as deciding. */
export async function officersOn(db: Db, group: Group, day: string) {
  const people = await db
    .selectFrom('gov_person')
    .select(['id', 'name'])
    .where('group_id', '=', group.id)
    .orderBy('name')
    .execute();
  const appointments = await appointmentsOf(
    db,
    people.map((p) => p.id),
  );
  return people
    .map((p) => ({
      id: p.id,
      name: p.name,
      roles: rolesText(appointments.filter((a) => a.person_id === p.id && heldOn(a, day))),
    }))
    .filter((p) => p.roles);
}

/** Records a delegated officer's decision (administrators and the governing body; others refused and audited). */
export async function recordOfficerDecision(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: OfficerDecisionInput,
  clock: Clock = systemClock,
) {
  if (!canManageRegister(principal, group)) {
    await audit(
      db,
      userActor(principal, clientAddress),
      {
        action: 'gov_officer_decision.refused',
        entityType: 'gov_officer_decision',
        organisationId: group.id,
        after: { reason: 'record a delegated decision' },
      },
      clock,
    );
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s administrators and governing body record decisions taken by delegated officers`,
    );
  }
  const today = isoDate(clock());
  const { problems, value } = readOfficerDecision(input, today);
  const badPerson = problems.some((p) => p.field === 'person');
  const person = badPerson
    ? undefined
    : await db
        .selectFrom('gov_person')
        .select(['id', 'name'])
        .where('id', '=', Number(input.person))
        .where('group_id', '=', group.id)
        .executeTakeFirst();
  if (!badPerson && !person)
    problems.push({ field: 'person', message: 'Choose the officer who took the decision' });
  else if (person && value) {
    const held = (await appointmentsOf(db, [person.id])).filter((a) => heldOn(a, value.decidedOn));
    if (!held.length)
      problems.push({
        field: 'person',
        message: `${person.name} held no appointment in ${group.name} on ${value.decidedOn}, so could not decide for it`,
      });
  }
  if (problems.length || !value || !person)
    throw new AppError('invalid_input', problems[0]!.message, problems);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('gov_officer_decision')
      .values({
        group_id: group.id,
        person_id: person.id,
        delegation: value.delegation,
        title: value.title,
        decision: value.decision,
        rationale: value.rationale,
        value_pence: value.valuePence,
        organisation_name: value.organisation,
        decided_on: value.decidedOn,
        recorded_by: principal.email,
        recorded_at: clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_officer_decision.recorded',
        entityType: 'gov_officer_decision',
        entityId: String(row.id),
        organisationId: group.id,
        after: {
          officer: person.name,
          delegation: value.delegation,
          title: value.title,
          decision: value.decision,
          value: penceAsPounds(value.valuePence),
          organisation: value.organisation,
          decidedOn: value.decidedOn,
        },
      },
      clock,
    );
    return row.id;
  });
}

/** Decisions by delegated officers up to `until`, newest first, with the officer's name and roles on the day. */
export async function officerDecisions(db: Db, group: Group, until: string) {
  const rows = await db
    .selectFrom('gov_officer_decision')
    .innerJoin('gov_person', 'gov_person.id', 'gov_officer_decision.person_id')
    .select([
      'gov_officer_decision.id',
      'gov_officer_decision.person_id',
      'gov_person.name as officer',
      'gov_officer_decision.delegation',
      'gov_officer_decision.title',
      'gov_officer_decision.decision',
      'gov_officer_decision.rationale',
      'gov_officer_decision.value_pence',
      'gov_officer_decision.organisation_name',
      'gov_officer_decision.decided_on',
      'gov_officer_decision.illustrative',
    ])
    .where('gov_officer_decision.group_id', '=', group.id)
    .where('gov_officer_decision.decided_on', '<=', until)
    .orderBy('gov_officer_decision.decided_on', 'desc')
    .orderBy('gov_officer_decision.id', 'desc')
    .execute();
  const appointments = await appointmentsOf(db, [...new Set(rows.map((r) => r.person_id))]);
  return rows.map((r) => ({
    ...r,
    officer_role: rolesText(
      appointments.filter((a) => a.person_id === r.person_id && heldOn(a, r.decided_on)),
    ),
  }));
}
