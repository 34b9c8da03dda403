// Fast bulk writes: one statement per batch, each column sent as one array parameter and unnested.
import { sql } from 'kysely';
import type { Db } from './schema.js';

export type BulkType =
  'text' | 'int' | 'smallint' | 'bigint' | 'float8' | 'numeric' | 'date' | 'bool';

export interface BulkColumn {
  name: string;
  type: BulkType;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts rows (arrays in column order) into `table`; `onConflict` is the statement's tail, e.g.
 * "ON CONFLICT (a, b) DO UPDATE SET c = excluded.c". Table and column names are constants in code.
 */
export async function bulkInsert(
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  onConflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  for (const name of [table, ...columns.map((c) => c.name)]) {
    if (!identifier.test(name)) throw new Error(`bad identifier ${name}`);
  }
  const arrays = columns.map((_, i) =>
    rows.map((r) => {
      const v = r[i];
      return typeof v === 'bigint' ? v.toString() : (v ?? null);
    }),
  );
  const unnest = sql.join(
    columns.map((c, i) => sql`${arrays[i]}::${sql.raw(c.type)}[]`),
    sql`, `,
  );
  const query = sql<Record<string, unknown>>`INSERT INTO ${sql.raw(table)} (${sql.raw(
    columns.map((c) => c.name).join(', '),
  )}) SELECT * FROM unnest(${unnest}) ${sql.raw(onConflict)}`;
  await query.execute(db);
}
