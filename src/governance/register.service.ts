// A group's register of interests: everyone's current declarations with their history, who owes a
// declaration, and the published register the public may see (decision-makers only, no private details).
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import type { AppointmentRole } from './governance.table.js';
import { roleLabels } from './governance.table.js';
import {
  categoryLabels,
  declarationDue,
  isLate,
  isPublished,
  type DeclarationDue,
  type InterestCategory,
} from './interests.js';

interface InterestRow {
  interest_id: number;
  person_id: number;
  version: number;
  versions: number;
  category: InterestCategory;
  counterpart: string;
  counterpart_code: string | null;
  description: string;
  arose_on: string;
  declared_on: string;
  ended_on: string | null;
  action_taken: string;
  recorded_by: string;
}

/** Everything the register holds for the group, as at `today`. */
export async function registerOfInterests(db: Db, group: Group, today: string) {
  const people = await db
    .selectFrom('gov_person')
    .select(['id', 'name', 'contact_email', 'contact_phone', 'illustrative'])
    .where('group_id', '=', group.id)
    .orderBy('name')
    .execute();
  const ids = people.map((p) => p.id);
  if (ids.length === 0) return { people: [], interests: [], overdue: [], illustrative: false };
  const appointments = await db
    .selectFrom('gov_appointment')
    .selectAll()
    .where('person_id', 'in', ids)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .orderBy('starts_on')
    .execute();
  const interests = (
    await sql<InterestRow>`
      SELECT DISTINCT ON (v.interest_id) v.interest_id, i.person_id, v.version,
        count(*) OVER (PARTITION BY v.interest_id)::int AS versions, v.category, v.counterpart,
        o.code AS counterpart_code, v.description, v.arose_on::text AS arose_on,
        v.declared_on::text AS declared_on, v.ended_on::text AS ended_on, v.action_taken, v.recorded_by
      FROM gov_interest_version v JOIN gov_interest i ON i.id = v.interest_id
      LEFT JOIN organisation o ON o.id = v.counterpart_org_id
      WHERE i.person_id = any(${ids}::int[])
      ORDER BY v.interest_id, v.version DESC`.execute(db)
  ).rows;
  const nil = await db
    .selectFrom('gov_nil_return')
    .select(['person_id', (eb) => eb.fn.max('declared_on').as('declared_on')])
    .where('person_id', 'in', ids)
    .groupBy('person_id')
    .execute();
  const lastNil = new Map(nil.map((n) => [n.person_id, String(n.declared_on)]));

  const rows = people.map((p) => {
    const current = appointments.filter((a) => a.person_id === p.id);
    const declared = [
      ...interests.filter((i) => i.person_id === p.id).map((i) => i.declared_on),
      lastNil.get(p.id),
    ].filter((d): d is string => d !== undefined);
    const lastDeclaredOn = declared.sort().at(-1) ?? null;
    const appointedOn = current[0]?.starts_on ?? null;
    const due: DeclarationDue | null = appointedOn
      ? declarationDue(appointedOn, lastDeclaredOn, today)
      : null;
    return {
      id: p.id,
      name: p.name,
      contactEmail: p.contact_email,
      contactPhone: p.contact_phone,
      roles: current.map((a) => ({
        body: a.body,
        role: a.role,
        label: roleLabels[a.role as AppointmentRole],
        guardian: a.is_guardian,
        voting: a.voting,
        decisionMaker: a.decision_maker,
        since: a.starts_on,
      })),
      decisionMaker: current.some((a) => a.decision_maker),
      guardian: current.some((a) => a.is_guardian),
      lastDeclaredOn,
      nilReturnOn: lastNil.get(p.id) ?? null,
      due,
    };
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const interestRows = interests
    .map((i) => {
      const person = byId.get(i.person_id)!;
      return {
        id: i.interest_id,
        personId: i.person_id,
        person: person.name,
        roles: person.roles.map((r) => `${r.label}, ${r.body}`).join('; '),
        decisionMaker: person.decisionMaker,
        category: i.category,
        categoryLabel: categoryLabels[i.category],
        counterpart: i.counterpart,
        counterpartCode: i.counterpart_code,
        description: i.description,
        aroseOn: i.arose_on,
        declaredOn: i.declared_on,
        endedOn: i.ended_on,
        actionTaken: i.action_taken,
        version: i.version,
        versions: i.versions,
        late: isLate(i.arose_on, i.declared_on),
        published: isPublished({ endedOn: i.ended_on }, person.decisionMaker, today),
      };
    })
    .sort((a, b) => a.person.localeCompare(b.person) || a.aroseOn.localeCompare(b.aroseOn));
  return {
    people: rows,
    interests: interestRows,
    overdue: rows
      .filter((r) => r.due?.overdue)
      .sort((a, b) => b.due!.daysOverdue - a.due!.daysOverdue),
    illustrative: people.some((p) => p.illustrative),
  };
}

export type Register = Awaited<ReturnType<typeof registerOfInterests>>;

/**
 * What the public may see: decision-makers' interests that have not ended or ended within six months,
 * with names, roles and the interest; never contact details, and nothing of anyone else.
 */
export function publishedRegister(register: Register) {
  const interests = register.interests
    .filter((i) => i.published)
    .map((i) => ({
      person: i.person,
      roles: i.roles,
      category: i.categoryLabel,
      counterpart: i.counterpart,
      description: i.description,
      aroseOn: i.aroseOn,
      declaredOn: i.declaredOn,
      endedOn: i.endedOn,
      actionTaken: i.actionTaken,
    }));
  const withInterests = new Set(register.interests.filter((i) => i.published).map((i) => i.person));
  return {
    interests,
    /** Decision-makers with nothing to publish, and the date of their nil return if they made one. */
    nothingDeclared: register.people
      .filter((p) => p.decisionMaker && !withInterests.has(p.name))
      .map((p) => ({
        person: p.name,
        roles: p.roles.map((r) => `${r.label}, ${r.body}`).join('; '),
        nilReturnOn: p.nilReturnOn,
      })),
    guardian: register.people
      .filter((p) => p.guardian)
      .map((p) => ({ person: p.name, roles: p.roles.map((r) => r.label).join('; ') })),
    illustrative: register.illustrative,
  };
}
