// Loads an importer's rows into a fact table in one DuckDB transaction, replacing rows with the same key.
import type { ImportContext } from '../imports/import-runner.js';
import type { ColumnType, FactValue } from './fact-store.js';

/**
 * Writes an import's rows into a fact table in one DuckDB transaction, replacing rows with the
 * same key (so re-importing a corrected file for the same months replaces them).
 */
export async function replaceFacts(
  ctx: ImportContext,
  table: string,
  columns: readonly { name: string; type: ColumnType }[],
  rows: FactValue[][],
) {
  const staging = `staging_${table}`;
  const sqlType = {
    varchar: 'VARCHAR',
    integer: 'INTEGER',
    bigint: 'BIGINT',
    double: 'DOUBLE',
    date: 'DATE',
    boolean: 'BOOLEAN',
  };
  await ctx.facts.transaction(async (tx) => {
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${staging} (${columns.map((c) => `${c.name} ${sqlType[c.type]}`).join(', ')})`,
    );
    await tx.append(
      staging,
      columns.map((c) => c.type),
      rows,
    );
    await tx.run(
      `INSERT OR REPLACE INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT * FROM ${staging}`,
    );
    await tx.run(`DROP TABLE ${staging}`);
  });
  ctx.loaded(rows.length);
}
