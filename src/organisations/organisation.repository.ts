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
  const values = [...unique.values()];
  for (let i = 0; i < values.length; i += 5000) {
    const rows = values
      .slice(i, i + 5000)
      .map((o) => [
        o.code,
        o.type,
        o.name,
        o.nameRank,
        o.postcode ?? null,
        o.openDate ?? null,
        o.closeDate ?? null,
      ]);
    // Only rows that change are rewritten: re-reading a mapping file must not churn 7,000 unchanged rows.
    await sql`
      INSERT INTO organisation AS o (code, type, name, name_rank, postcode, open_date, close_date)
      SELECT * FROM unnest(${rows.map((r) => r[0])}::text[], ${rows.map((r) => r[1])}::text[], ${rows.map((r) => r[2])}::text[],
        ${rows.map((r) => r[3])}::smallint[], ${rows.map((r) => r[4])}::text[], ${rows.map((r) => r[5])}::date[], ${rows.map((r) => r[6])}::date[])
      ON CONFLICT (type, code) DO UPDATE SET
        name = CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.name ELSE o.name END,
        name_rank = greatest(excluded.name_rank, o.name_rank),
        postcode = coalesce(CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.postcode END, o.postcode, excluded.postcode),
        open_date = coalesce(CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.open_date END, o.open_date, excluded.open_date),
        close_date = CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.close_date ELSE coalesce(o.close_date, excluded.close_date) END
      WHERE (o.name, o.name_rank, o.postcode, o.open_date, o.close_date) IS DISTINCT FROM (
        CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.name ELSE o.name END,
        greatest(excluded.name_rank, o.name_rank),
        coalesce(CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.postcode END, o.postcode, excluded.postcode),
        coalesce(CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.open_date END, o.open_date, excluded.open_date),
        CASE WHEN excluded.name_rank >= o.name_rank THEN excluded.close_date ELSE coalesce(o.close_date, excluded.close_date) END)`.execute(
      db,
    );
  }
  const ids = new Map<string, number>();
  const types = [...new Set(values.map((o) => o.type))];
  const codes = [...new Set(values.map((o) => o.code))];
  const found = await db
    .selectFrom('organisation')
    .select(['id', 'type', 'code'])
    .where('type', 'in', types.length ? types : ['nation'])
    .where(sql<boolean>`code = any(${codes}::text[])`)
    .execute();
  for (const r of found) ids.set(orgKey(r.type, r.code), r.id);
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
  const existing = await db
    .selectFrom('organisation_relationship')
    .select(['child_id', 'parent_id', 'kind', 'valid_from', 'valid_to'])
    .where(sql<boolean>`child_id = any(${ids}::int[])`)
    .execute();
  const signature = (r: {
    parentId: number;
    kind: string;
    validFrom: string;
    validTo: string | null;
  }) => `${r.kind}|${r.parentId}|${r.validFrom}|${r.validTo ?? ''}`;
  const stored = new Map<number, string[]>();
  for (const r of existing) {
    const list = stored.get(r.child_id) ?? [];
    list.push(
      signature({
        parentId: r.parent_id,
        kind: r.kind,
        validFrom: r.valid_from,
        validTo: r.valid_to,
      }),
    );
    stored.set(r.child_id, list);
  }
  // Rewrite only the children whose derived history differs from what is stored.
  const changed: number[] = [];
  const rows: unknown[][] = [];
  for (const childId of ids) {
    const derived = deriveHistory(byChild.get(childId) ?? [], closeDate.get(childId) ?? null);
    const now = derived.map(signature).sort().join(';');
    const before = (stored.get(childId) ?? []).sort().join(';');
    if (now === before) continue;
    changed.push(childId);
    for (const r of derived) rows.push([childId, r.parentId, r.kind, r.validFrom, r.validTo]);
  }
  if (changed.length === 0) return;
  await sql`DELETE FROM organisation_relationship WHERE child_id = any(${changed}::int[])`.execute(
    db,
  );
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
