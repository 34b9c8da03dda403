// SQL for commissioning groups: which practices belonged to them on a date, and how they relate to others.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';

/**
 * Each group with the date its membership is shown for: today when it still has members, else the
 * day before most of its memberships ended (a group that merged away is shown as it was when it
 * closed; one straggling practice whose sources end later does not decide the date).
 */
const groupReferenceDates = (today: string) => sql`
  SELECT parent_id AS group_id,
         CASE WHEN bool_or(valid_to IS NULL OR valid_to > ${today}::date) THEN ${today}::date
              ELSE (mode() WITHIN GROUP (ORDER BY valid_to DESC)) - 1 END AS as_at
  FROM organisation_relationship WHERE kind = 'member_of_group' GROUP BY parent_id`;

export interface GroupRow {
  id: number;
  code: string;
  name: string;
  as_at: string;
  is_current: boolean;
  members: number;
}

export async function listGroupsWithMembers(db: Db, today: string): Promise<GroupRow[]> {
  const result = await sql<GroupRow>`
    WITH ref AS (${groupReferenceDates(today)})
    SELECT o.id, o.code, o.name, ref.as_at::text AS as_at, (ref.as_at = ${today}::date) AS is_current,
           count(r.child_id)::int AS members
    FROM organisation o
    JOIN ref ON ref.group_id = o.id
    JOIN organisation_relationship r ON r.parent_id = o.id AND r.kind = 'member_of_group'
         AND r.valid_from <= ref.as_at AND (r.valid_to IS NULL OR r.valid_to > ref.as_at)
    WHERE o.type = 'group'
    GROUP BY o.id, o.code, o.name, ref.as_at
    ORDER BY o.name`.execute(db);
  return result.rows;
}

export async function findGroupByCode(
  db: Db,
  code: string,
  today: string,
): Promise<GroupRow | undefined> {
  const result = await sql<GroupRow>`
    WITH ref AS (${groupReferenceDates(today)})
    SELECT o.id, o.code, o.name, ref.as_at::text AS as_at, (ref.as_at = ${today}::date) AS is_current,
           (SELECT count(*)::int FROM organisation_relationship r WHERE r.parent_id = o.id AND r.kind = 'member_of_group'
              AND r.valid_from <= ref.as_at AND (r.valid_to IS NULL OR r.valid_to > ref.as_at)) AS members
    FROM organisation o JOIN ref ON ref.group_id = o.id
    WHERE o.type = 'group' AND o.code = ${code.toUpperCase()}`.execute(db);
  return result.rows[0];
}

/** Where most of a closed group's practices went next, and from when. */
export async function findSuccessor(db: Db, groupId: number, asAt: string) {
  const result = await sql<{ code: string; name: string; from_date: string; practices: number }>`
    SELECT g.code, g.name, min(next.valid_from)::text AS from_date, count(*)::int AS practices
    FROM organisation_relationship r
    JOIN organisation_relationship next ON next.child_id = r.child_id AND next.kind = 'member_of_group'
         AND next.valid_from = r.valid_to
    JOIN organisation g ON g.id = next.parent_id
    WHERE r.parent_id = ${groupId} AND r.kind = 'member_of_group'
      AND r.valid_from <= ${asAt}::date AND r.valid_to = ${asAt}::date + 1
    GROUP BY g.code, g.name ORDER BY count(*) DESC LIMIT 1`.execute(db);
  return result.rows[0];
}

export interface MemberRow {
  id: number;
  code: string;
  name: string;
  postcode: string | null;
  close_date: string | null;
  member_from: string;
  member_to: string | null;
  pcn_code: string | null;
  pcn_name: string | null;
}

/** Practices that belonged to a group on a date, with the PCN each belonged to then (or the next one it joined). */
export async function listMembers(db: Db, groupId: number, asAt: string): Promise<MemberRow[]> {
  const result = await sql<MemberRow>`
    SELECT p.id, p.code, p.name, p.postcode, p.close_date::text AS close_date,
           r.valid_from::text AS member_from, r.valid_to::text AS member_to, pcn.code AS pcn_code, pcn.name AS pcn_name
    FROM organisation_relationship r
    JOIN organisation p ON p.id = r.child_id
    LEFT JOIN LATERAL (
      -- the PCN on the date, else the next one the practice joined; never one it had already left
      SELECT o.code, o.name FROM organisation_relationship pr JOIN organisation o ON o.id = pr.parent_id
      WHERE pr.child_id = p.id AND pr.kind = 'member_of_pcn' AND (pr.valid_to IS NULL OR pr.valid_to > ${asAt}::date)
      ORDER BY (pr.valid_from <= ${asAt}::date) DESC, pr.valid_from LIMIT 1) pcn ON true
    WHERE r.parent_id = ${groupId} AND r.kind = 'member_of_group'
      AND r.valid_from <= ${asAt}::date AND (r.valid_to IS NULL OR r.valid_to > ${asAt}::date)
    ORDER BY p.name`.execute(db);
  return result.rows;
}

/** Was this practice ever a member of this group? */
export async function wasEverMember(db: Db, groupId: number, practiceId: number): Promise<boolean> {
  const row = await db
    .selectFrom('organisation_relationship')
    .select('child_id')
    .where('parent_id', '=', groupId)
    .where('child_id', '=', practiceId)
    .where('kind', '=', 'member_of_group')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Organisations a group sits within (ICB, region): its published hierarchy, and the ICB and region
 * that most of its members on its reference date belong to in the latest allocation file that has
 * them. Used to let oversight roles see the groups they oversee — and no others: a practice that once
 * moved across a boundary does not make its old group visible to the new area.
 */
export async function groupAncestorIds(db: Db, groupId: number, asAt: string): Promise<number[]> {
  const result = await sql<{ id: number }>`
    WITH RECURSIVE up(id) AS (
      SELECT parent_id FROM organisation_relationship WHERE child_id = ${groupId} AND kind = 'part_of'
      UNION SELECT r.parent_id FROM organisation_relationship r JOIN up ON r.child_id = up.id AND r.kind = 'part_of'
    ),
    members AS (
      SELECT child_id FROM organisation_relationship
      WHERE parent_id = ${groupId} AND kind = 'member_of_group'
        AND valid_from <= ${asAt}::date AND (valid_to IS NULL OR valid_to > ${asAt}::date)
    ),
    latest AS (SELECT max(allocation_year) AS year FROM weighted_population WHERE practice_id IN (SELECT child_id FROM members)),
    area AS (
      SELECT icb_code, region_code FROM weighted_population
      WHERE allocation_year = (SELECT year FROM latest) AND practice_id IN (SELECT child_id FROM members)
      GROUP BY icb_code, region_code ORDER BY count(*) DESC, icb_code LIMIT 1
    )
    SELECT id FROM up
    UNION
    SELECT o.id FROM organisation o JOIN area
      ON (o.type = 'icb' AND o.code = area.icb_code) OR (o.type = 'region' AND o.code = area.region_code)`.execute(
    db,
  );
  return result.rows.map((r) => r.id);
}

export const findPracticeByCode = (db: Db, code: string) =>
  db
    .selectFrom('organisation')
    .select(['id', 'code', 'name', 'postcode', 'open_date', 'close_date'])
    .where('type', '=', 'practice')
    .where('code', '=', code.toUpperCase())
    .executeTakeFirst();

/** A practice's whole history of group and PCN membership. */
export async function practiceMemberships(db: Db, practiceId: number) {
  const result = await sql<{
    kind: string;
    code: string;
    name: string;
    valid_from: string;
    valid_to: string | null;
  }>`
    SELECT r.kind, o.code, o.name, r.valid_from::text AS valid_from, r.valid_to::text AS valid_to
    FROM organisation_relationship r JOIN organisation o ON o.id = r.parent_id
    WHERE r.child_id = ${practiceId} AND r.kind IN ('member_of_group', 'member_of_pcn')
    ORDER BY r.kind, r.valid_from`.execute(db);
  return result.rows;
}
