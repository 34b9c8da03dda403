// SQL for organisations, what sources observed about their relationships, and the derived dated history.
import { sql } from 'kysely';
import { bulkInsert } from '../platform/db/bulk.js';
import type { Db } from '../platform/db/schema.js';
import { deriveHistory, type Observation } from './membership-history.js';
import type { OrganisationType, RelationshipKind } from './organisation.table.js';

export interface OrganisationInput {
  code: string;
  type: OrganisationType;
  name: string;
  /** 3 = Organisation Data Service, 2 = a published mapping file, 1 = any other file that names it, 0 = code only. */
  nameRank: number;
  postcode?: string | null;
  openDate?: string | null;
  closeDate?: string | null;
}

const orgKey = (type: string, code: string) => `${type}:${code}`;

/**
 * Adds organisations or improves what is known of them: a name from a better (or equally good,
 * later) source replaces the stored one; dates and postcode fill gaps or follow the better source.
 * Returns ids by "type:code".
 */
export async function upsertOrganisations(
  db: Db,
  organisations: readonly OrganisationInput[],
): Promise<Map<string, number>> {
  const unique = new Map<string, OrganisationInput>();
  for (const o of organisations) {
    const key = orgKey(o.type, o.code);
    const existing = unique.get(key);
    if (!existing || o.nameRank >= existing.nameRank) unique.set(key, o);
  }
  const ids = new Map<string, number>();
  const values = [...unique.values()];
  for (let i = 0; i < values.length; i += 5000) {
    const rows = await bulkInsert(
      db,
      'organisation',
      [
        { name: 'code', type: 'text' },
        { name: 'type', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'name_rank', type: 'smallint' },
        { name: 'postcode', type: 'text' },
        { name: 'open_date', type: 'date' },
        { name: 'close_date', type: 'date' },
      ],
      values
        .slice(i, i + 5000)
        .map((o) => [
          o.code,
          o.type,
          o.name,
          o.nameRank,
          o.postcode ?? null,
          o.openDate ?? null,
          o.closeDate ?? null,
        ]),
      `ON CONFLICT (type, code) DO UPDATE SET
         name = CASE WHEN excluded.name_rank >= organisation.name_rank THEN excluded.name ELSE organisation.name END,
         name_rank = greatest(excluded.name_rank, organisation.name_rank),
         postcode = coalesce(CASE WHEN excluded.name_rank >= organisation.name_rank THEN excluded.postcode END, organisation.postcode, excluded.postcode),
         open_date = coalesce(CASE WHEN excluded.name_rank >= organisation.name_rank THEN excluded.open_date END, organisation.open_date, excluded.open_date),
         close_date = CASE WHEN excluded.name_rank >= organisation.name_rank THEN excluded.close_date
                           ELSE coalesce(organisation.close_date, excluded.close_date) END`,
      'id, type, code',
    );
    for (const r of rows) ids.set(orgKey(String(r.type), String(r.code)), Number(r.id));
  }
  return ids;
}

/** Ids of every organisation of a type, by code. */
export async function organisationIdsByCode(
  db: Db,
  type: OrganisationType,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'code'])
    .where('type', '=', type)
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export interface ObservationInput {
  childId: number;
  parentId: number;
  kind: RelationshipKind;
  observedOn: string;
  knownFrom?: string | null;
  knownTo?: string | null;
  source: string;
}

export async function insertObservations(
  db: Db,
  importId: number,
  observations: readonly ObservationInput[],
): Promise<void> {
  const unique = new Map<string, ObservationInput>();
  for (const o of observations) {
    unique.set(`${o.childId}|${o.kind}|${o.parentId}|${o.observedOn}|${o.source}`, o);
  }
  const values = [...unique.values()];
  for (let i = 0; i < values.length; i += 10000) {
    await bulkInsert(
      db,
      'relationship_observation',
      [
        { name: 'child_id', type: 'int' },
        { name: 'parent_id', type: 'int' },
        { name: 'kind', type: 'text' },
        { name: 'observed_on', type: 'date' },
        { name: 'known_from', type: 'date' },
        { name: 'known_to', type: 'date' },
        { name: 'source', type: 'text' },
        { name: 'import_id', type: 'int' },
      ],
      values
        .slice(i, i + 10000)
        .map((o) => [
          o.childId,
          o.parentId,
          o.kind,
          o.observedOn,
          o.knownFrom ?? null,
          o.knownTo ?? null,
          o.source,
          importId,
        ]),
      `ON CONFLICT (child_id, kind, parent_id, observed_on, source) DO UPDATE SET
         known_from = excluded.known_from, known_to = excluded.known_to`,
    );
  }
}

/** Re-derives the dated relationships of the given children from everything observed about them. */
export async function rebuildRelationships(db: Db, childIds: readonly number[]): Promise<void> {
  if (childIds.length === 0) return;
  const ids = [...new Set(childIds)];
  const observations = await db
    .selectFrom('relationship_observation')
    .select(['child_id', 'parent_id', 'kind', 'observed_on', 'known_from', 'known_to'])
    .where(sql<boolean>`child_id = any(${ids}::int[])`)
    .execute();
  const closes = await db
    .selectFrom('organisation')
    .select(['id', 'close_date'])
    .where(sql<boolean>`id = any(${ids}::int[])`)
    .execute();
  const closeDate = new Map(closes.map((c) => [c.id, c.close_date]));
  const byChild = new Map<number, Observation[]>();
  for (const o of observations) {
    const list = byChild.get(o.child_id) ?? [];
    list.push({
      parentId: o.parent_id,
      kind: o.kind,
      observedOn: o.observed_on,
      knownFrom: o.known_from,
      knownTo: o.known_to,
    });
    byChild.set(o.child_id, list);
  }
  const rows: unknown[][] = [];
  for (const [childId, list] of byChild) {
    for (const r of deriveHistory(list, closeDate.get(childId) ?? null)) {
      rows.push([childId, r.parentId, r.kind, r.validFrom, r.validTo]);
    }
  }
  await sql`DELETE FROM organisation_relationship WHERE child_id = any(${ids}::int[])`.execute(db);
  for (let i = 0; i < rows.length; i += 10000) {
    await bulkInsert(
      db,
      'organisation_relationship',
      [
        { name: 'child_id', type: 'int' },
        { name: 'parent_id', type: 'int' },
        { name: 'kind', type: 'text' },
        { name: 'valid_from', type: 'date' },
        { name: 'valid_to', type: 'date' },
      ],
      rows.slice(i, i + 10000),
    );
  }
}
