// The group's people, their dated appointments to the governing body and committees, the committees'
// terms of reference and quorum rule, and how the public reaches the conflicts of interest guardian.
// Kept by the governing body secretary and administrators; every change audited.
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, yesOrNo, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { isUniqueViolation } from '../platform/db/unique.js';
import { canManageRegister } from './declarations.service.js';
import { appointmentRoles, roleLabels, type AppointmentRole } from './governance.table.js';
import { isRowId } from '../platform/db/ids.js';

const requireKeeper = (principal: Principal, group: Group, what: string) => {
  if (!canManageRegister(principal, group))
    throw new AppError(
      'forbidden',
      `Only ${group.name}'s governing body secretary and administrators ${what}`,
    );
};

const refuse = (problems: FieldProblem[]) => {
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
};

const textField = (
  problems: FieldProblem[],
  field: string,
  value: string,
  max: number,
  message: string,
) => {
  const v = value.trim();
  if (!v || v.length > max) problems.push({ field, message });
  return v;
};

const dayField = (
  problems: FieldProblem[],
  field: string,
  value: string,
  message: string,
  optional = false,
) => {
  const v = value.trim();
  if (optional && !v) return null;
  if (!isSensibleDate(v)) problems.push({ field, message });
  return v;
};

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Every person with all their appointments (current and past), and the committees. For officers. */
export async function peopleAndCommittees(db: Db, group: Group, today: string) {
  const people = await db
    .selectFrom('gov_person')
    .leftJoin('app_user', 'app_user.id', 'gov_person.user_id')
    .select([
      'gov_person.id',
      'gov_person.name',
      'gov_person.contact_email',
      'gov_person.contact_phone',
      'gov_person.illustrative',
      'app_user.email as user_email',
    ])
    .where('gov_person.group_id', '=', group.id)
    .orderBy('gov_person.name')
    .execute();
  const appointments = people.length
    ? await db
        .selectFrom('gov_appointment')
        .selectAll()
        .where(
          'person_id',
          'in',
          people.map((p) => p.id),
        )
        .orderBy('starts_on')
        .execute()
    : [];
  const committees = await listCommittees(db, group);
  return {
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      contactEmail: p.contact_email,
      contactPhone: p.contact_phone,
      userEmail: p.user_email,
      illustrative: p.illustrative,
      appointments: appointments
        .filter((a) => a.person_id === p.id)
        .map((a) => ({
          id: a.id,
          body: a.body,
          role: a.role,
          roleLabel: roleLabels[a.role],
          guardian: a.is_guardian,
          voting: a.voting,
          decisionMaker: a.decision_maker,
          startsOn: a.starts_on,
          endsOn: a.ends_on,
          current: a.starts_on <= today && (a.ends_on === null || a.ends_on >= today),
        })),
    })),
    committees,
    guardianContact: await guardianContact(db, group),
    illustrative: people.some((p) => p.illustrative),
  };
}

export const listCommittees = (db: Db, group: Group) =>
  db
    .selectFrom('gov_committee')
    .selectAll()
    .where('group_id', '=', group.id)
    .orderBy('id')
    .execute();

export const guardianContact = async (db: Db, group: Group) =>
  (
    await db
      .selectFrom('gov_group_setting')
      .select('guardian_contact')
      .where('group_id', '=', group.id)
      .executeTakeFirst()
  )?.guardian_contact ?? null;

export interface PersonInput {
  name: string;
  contactEmail: string;
  contactPhone: string;
  userEmail: string;
}

/** Adds a person to the register, optionally linked to a user who holds a role in the group. */
export async function addPerson(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: PersonInput,
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group, 'add people');
  const problems: FieldProblem[] = [];
  const name = textField(
    problems,
    'name',
    input.name,
    200,
    'Enter the name (up to 200 characters)',
  );
  const contactEmail = input.contactEmail.trim();
  if (contactEmail && (!emailPattern.test(contactEmail) || contactEmail.length > 200))
    problems.push({ field: 'contactEmail', message: 'Enter an email address like name@nhs.net' });
  const contactPhone = input.contactPhone.trim();
  if (contactPhone && !/^[0-9 +()-]{6,30}$/.test(contactPhone))
    problems.push({ field: 'contactPhone', message: 'Enter a phone number, like 01632 960000' });
  const userEmail = input.userEmail.trim().toLowerCase();
  let userId: number | null = null;
  if (userEmail) {
    const user = await sql<{ id: number }>`
      SELECT u.id FROM app_user u JOIN role_grant g ON g.user_id = u.id
      WHERE lower(u.email) = ${userEmail} AND g.organisation_id = ${group.id} LIMIT 1`.execute(db);
    if (!user.rows[0])
      problems.push({
        field: 'userEmail',
        message: `No user with that email holds a role in ${group.name}; leave it empty to add the person without a sign-in`,
      });
    else {
      userId = user.rows[0].id;
      const taken = await db
        .selectFrom('gov_person')
        .select('name')
        .where('group_id', '=', group.id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (taken)
        problems.push({
          field: 'userEmail',
          message: `That user is already linked to ${taken.name} in the register`,
        });
    }
  }
  refuse(problems);
  return db.transaction().execute(async (tx) => {
    const person = await tx
      .insertInto('gov_person')
      .values({
        group_id: group.id,
        name,
        contact_email: contactEmail || null,
        contact_phone: contactPhone || null,
        user_id: userId,
        created_at: clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_person.added',
        entityType: 'gov_person',
        entityId: String(person.id),
        organisationId: group.id,
        after: { name, linkedUser: userEmail || null },
      },
      clock,
    );
    return person.id;
  });
}

export interface AppointmentInput {
  person: string;
  body: string;
  team: string;
  role: string;
  voting: string;
  decisionMaker: string;
  guardian: string;
  startsOn: string;
  endsOn: string;
}

/** Appoints a person to the governing body or a committee, from a date (and optionally to one). */
export async function addAppointment(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: AppointmentInput,
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group, 'make appointments');
  const problems: FieldProblem[] = [];
  const personId = Number(input.person);
  const person = isRowId(personId)
    ? await db
        .selectFrom('gov_person')
        .select(['id', 'name'])
        .where('id', '=', personId)
        .where('group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!person) problems.push({ field: 'person', message: 'Choose the person' });
  const role = appointmentRoles.find((r) => r === input.role) as AppointmentRole | undefined;
  if (!role) problems.push({ field: 'role', message: 'Choose the role' });
  // Members sit on the governing body or a committee; an employee may instead belong to a team.
  const committee = (await listCommittees(db, group)).find((c) => c.name === input.body);
  const team = input.team.trim();
  const body = committee?.name ?? (role === 'employee' && !input.body ? team : '');
  if (!body || body.length > 150)
    problems.push({
      field: 'body',
      message:
        role === 'employee'
          ? 'Choose the committee, or give the employee’s team (up to 150 characters)'
          : 'Choose the governing body or committee',
    });
  const guardian = input.guardian === 'yes';
  if (guardian && role && role !== 'lay_member')
    problems.push({
      field: 'guardian',
      message: 'The conflicts of interest guardian is a lay member (NHS England guidance, 2017)',
    });
  const startsOn = dayField(
    problems,
    'startsOn',
    input.startsOn,
    `Enter the start date, like 2024-04-01 ${DATE_YEARS_TEXT}`,
  );
  const endsOn = dayField(
    problems,
    'endsOn',
    input.endsOn,
    `Enter the end date, like 2027-03-31 ${DATE_YEARS_TEXT}, or leave it empty`,
    true,
  );
  if (endsOn && startsOn && isSensibleDate(startsOn) && endsOn < startsOn)
    problems.push({ field: 'endsOn', message: 'An appointment cannot end before it starts' });
  const voting = yesOrNo(
    input.voting,
    'voting',
    'does this member vote at its meetings?',
    problems,
  );
  const decisionMaker = yesOrNo(
    input.decisionMaker,
    'decisionMaker',
    'is this member a decision-maker (interests published)?',
    problems,
  );
  refuse(problems);
  const row = {
    person_id: person!.id,
    body,
    role: role!,
    is_guardian: guardian,
    voting,
    decision_maker: decisionMaker,
    starts_on: startsOn!,
    ends_on: endsOn,
  };
  await db.transaction().execute(async (tx) => {
    const a = await tx
      .insertInto('gov_appointment')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_appointment.added',
        entityType: 'gov_appointment',
        entityId: String(a.id),
        organisationId: group.id,
        after: { person: person!.name, ...row },
      },
      clock,
    );
  });
}

/** Ends an appointment on a date (not before it started). */
export async function endAppointment(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { appointment: string; endsOn: string },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group, 'end appointments');
  const problems: FieldProblem[] = [];
  const id = Number(input.appointment);
  const appointment = isRowId(id)
    ? await db
        .selectFrom('gov_appointment')
        .innerJoin('gov_person', 'gov_person.id', 'gov_appointment.person_id')
        .select([
          'gov_appointment.id',
          'gov_appointment.starts_on',
          'gov_appointment.ends_on',
          'gov_appointment.body',
          'gov_person.name',
        ])
        .where('gov_appointment.id', '=', id)
        .where('gov_person.group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!appointment) problems.push({ field: 'appointment', message: 'Choose the appointment' });
  const endsOn = dayField(
    problems,
    'appointmentEndsOn',
    input.endsOn,
    `Enter the end date, like 2026-03-31 ${DATE_YEARS_TEXT}`,
  );
  if (appointment && endsOn && isSensibleDate(endsOn) && endsOn < appointment.starts_on)
    problems.push({
      field: 'appointmentEndsOn',
      message: `That appointment started on ${appointment.starts_on}: it cannot end before then`,
    });
  refuse(problems);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('gov_appointment')
      .set({ ends_on: endsOn })
      .where('id', '=', appointment!.id)
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_appointment.ended',
        entityType: 'gov_appointment',
        entityId: String(appointment!.id),
        organisationId: group.id,
        before: { endsOn: appointment!.ends_on },
        after: { person: appointment!.name, body: appointment!.body, endsOn },
      },
      clock,
    );
  });
}

export interface CommitteeInput {
  committee: string;
  name: string;
  minimumVoting: string;
  layMemberRequired: string;
  terms: string;
}

/**
 * Adds a committee, or changes one's quorum rule and terms of reference (`committee` is its id, or empty
 * for a new one). A renamed committee keeps its members: their appointments follow the new name.
 */
export async function saveCommittee(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: CommitteeInput,
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group, 'set up committees');
  const problems: FieldProblem[] = [];
  const committees = await listCommittees(db, group);
  const existing = input.committee
    ? committees.find((c) => String(c.id) === input.committee)
    : undefined;
  if (input.committee && !existing)
    problems.push({ field: 'committee', message: 'Choose the committee to change' });
  const name = textField(
    problems,
    'committeeName',
    input.name,
    150,
    'Enter the committee’s name (up to 150 characters)',
  );
  if (name && committees.some((c) => c.name === name && c.id !== existing?.id))
    problems.push({ field: 'committeeName', message: `${group.name} already has a “${name}”` });
  const minimum = Number(input.minimumVoting);
  if (!/^\d+$/.test(input.minimumVoting) || minimum < 1 || minimum > 50)
    problems.push({
      field: 'minimumVoting',
      message: 'Enter the number of voting members needed for a decision, from 1 to 50',
    });
  const terms = textField(
    problems,
    'terms',
    input.terms,
    4000,
    'Enter the terms of reference (up to 4,000 characters)',
  );
  const layMemberRequired = yesOrNo(
    input.layMemberRequired,
    'layMemberRequired',
    'must a lay member be among them?',
    problems,
  );
  refuse(problems);
  const row = {
    name,
    minimum_voting: minimum,
    lay_member_required: layMemberRequired,
    terms,
  };
  await db
    .transaction()
    .execute(async (tx) => {
      let id: number;
      if (existing) {
        id = existing.id;
        await tx.updateTable('gov_committee').set(row).where('id', '=', id).execute();
        if (existing.name !== name)
          await sql`UPDATE gov_appointment a SET body = ${name} FROM gov_person p
          WHERE p.id = a.person_id AND p.group_id = ${group.id} AND a.body = ${existing.name}`.execute(
            tx,
          );
      } else
        id = (
          await tx
            .insertInto('gov_committee')
            .values({ group_id: group.id, ...row })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      await audit(
        tx,
        userActor(principal, clientAddress),
        {
          action: existing ? 'gov_committee.changed' : 'gov_committee.added',
          entityType: 'gov_committee',
          entityId: String(id),
          organisationId: group.id,
          before: existing
            ? {
                name: existing.name,
                minimum_voting: existing.minimum_voting,
                lay_member_required: existing.lay_member_required,
                terms: existing.terms,
              }
            : undefined,
          after: row,
        },
        clock,
      );
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new AppError('invalid_input', `${group.name} already has a “${name}”`, [
          { field: 'committeeName', message: `${group.name} already has a “${name}”` },
        ]);
      throw error;
    });
}

/** Sets how the public contacts the conflicts of interest guardian: a role mailbox or address. */
export async function setGuardianContact(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: { contact: string },
  clock: Clock = systemClock,
) {
  requireKeeper(principal, group, 'set the guardian’s contact');
  const problems: FieldProblem[] = [];
  const contact = textField(
    problems,
    'guardianContact',
    input.contact,
    300,
    'Enter how the public contacts the guardian: a role mailbox or postal address (up to 300 characters)',
  );
  refuse(problems);
  const before = await guardianContact(db, group);
  await db.transaction().execute(async (tx) => {
    const row = { guardian_contact: contact, updated_by: principal.email, updated_at: clock() };
    await tx
      .insertInto('gov_group_setting')
      .values({ group_id: group.id, ...row })
      .onConflict((oc) => oc.column('group_id').doUpdateSet(row))
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_group_setting.guardian_contact',
        entityType: 'organisation',
        entityId: String(group.id),
        organisationId: group.id,
        before: { guardianContact: before },
        after: { guardianContact: contact },
      },
      clock,
    );
  });
}

/**
 * What the public may see of the group's governance: each committee's terms and quorum rule with its
 * current members (names, roles, who votes and decides), and how to reach the guardian. No contacts.
 */
export async function publicGoverningBody(db: Db, group: Group, today: string) {
  const all = await peopleAndCommittees(db, group, today);
  const members = all.people.flatMap((p) =>
    p.appointments
      .filter((a) => a.current)
      .map((a) => ({
        name: p.name,
        body: a.body,
        role: a.roleLabel,
        voting: a.voting,
        decisionMaker: a.decisionMaker,
        guardian: a.guardian,
        since: a.startsOn,
      })),
  );
  return {
    committees: all.committees.map((c) => ({
      name: c.name,
      terms: c.terms,
      quorum: `At least ${c.minimum_voting} voting member${c.minimum_voting === 1 ? '' : 's'}${c.lay_member_required ? ', one of them a lay member,' : ''} present and free of conflicts for each decision`,
      members: members.filter((m) => m.body === c.name).map(({ body: _body, ...m }) => m),
    })),
    guardian: {
      names: [...new Set(members.filter((m) => m.guardian).map((m) => m.name))],
      contact: all.guardianContact,
    },
    illustrative: all.illustrative,
  };
}
