// One commit across two stores: an import of facts is decided by the fact store's commit, which
// carries a marker; the log row in the system of record is completed from it, now or after a crash.
import type { Kysely } from 'kysely';
import { audit, systemActor, type Actor, type AuditRecord } from '../audit/audit.service.js';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import type { FactSession, FactStore } from '../facts/fact-store.js';

/** The marker an import of facts commits with its facts (table `import_commit`). */
export interface ImportCommit {
  importId: number;
  kind: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsSkipped: number;
  notes: string[];
  committedAt: Date;
}

export async function writeImportCommit(session: FactSession, commit: ImportCommit) {
  await session.run('INSERT INTO import_commit VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ)', [
    commit.importId,
    commit.kind,
    commit.rowsRead,
    commit.rowsLoaded,
    commit.rowsSkipped,
    commit.notes.length ? commit.notes.join('; ') : null,
    commit.committedAt.toISOString(),
  ]);
}

/** The audit event of a completed import. */
export function importCompletedEvent(
  importId: number,
  o: {
    kind: string;
    fileName: string;
    sha256: string;
    period: string | undefined | null;
    rowsRead: number;
    rowsLoaded: number;
    rowsSkipped: number;
  },
  reconciled = false,
): AuditRecord & { action: 'import.completed' } {
  return {
    action: 'import.completed',
    entityType: 'import',
    entityId: String(importId),
    after: {
      kind: o.kind,
      file: o.fileName,
      sha256: o.sha256,
      period: o.period ?? undefined,
      rowsRead: o.rowsRead,
      rowsLoaded: o.rowsLoaded,
      rowsSkipped: o.rowsSkipped,
      ...(reconciled ? { completedAfterRestart: true } : {}),
    },
  };
}

/** What an import did, as the columns of its log row. */
export const outcomeColumns = (
  outcome: { rowsRead: number; rowsLoaded: number; rowsSkipped: number; notes: string[] },
  finishedAt: Date,
) => ({
  rows_read: outcome.rowsRead,
  rows_loaded: outcome.rowsLoaded,
  rows_skipped: outcome.rowsSkipped,
  notes: outcome.notes.length ? outcome.notes.join('; ') : null,
  finished_at: finishedAt,
});

/** Marks a 'loading' log row complete with what the import did, and audits it, in one transaction. */
export async function completeImport(
  db: Kysely<Database>,
  importId: number,
  outcome: { rowsRead: number; rowsLoaded: number; rowsSkipped: number; notes: string[] },
  actor: Actor,
  clock: Clock = systemClock,
  reconciled = false,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('import_log')
      .set({ state: 'complete', ...outcomeColumns(outcome, clock()) })
      .where('id', '=', importId)
      .where('state', '=', 'loading')
      .returning(['kind', 'file_name', 'file_sha256', 'period'])
      .executeTakeFirst();
    if (!row) return;
    const event = importCompletedEvent(
      importId,
      {
        ...outcome,
        kind: row.kind,
        fileName: row.file_name,
        sha256: row.file_sha256,
        period: row.period,
      },
      reconciled,
    );
    await audit(tx, actor, event, clock);
  });
}

/** The fact tables that record which import wrote each row. */
export async function factTablesWithImportId(facts: FactStore): Promise<string[]> {
  const rows = await facts.all<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
     WHERE table_schema = 'main' AND column_name = 'import_id' AND table_name <> 'import_commit'
     ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

export interface Reconciliation {
  /** Imports whose facts had committed: their log rows are now complete. */
  completed: number[];
  /** Imports whose facts never committed: their log rows are removed. */
  abandoned: number[];
  /** Imports with facts in the fact store but no log row at all: their facts are removed. */
  orphaned: { importId: number; rows: number }[];
}

const reconciler = systemActor('reconciliation');

/**
 * Brings the two stores into agreement after a crash: a 'loading' log row whose marker the fact
 * store holds is completed; one without is removed (its facts never committed, and nothing
 * else refers to it); facts of an import the system of record has no row for are removed. With
 * `scanFacts`, every fact table is searched for import ids without a complete log row (slower: it
 * reads each table's import ids, so it is for `flock check`, not every start).
 */
export async function reconcileImports(
  db: Kysely<Database>,
  facts: FactStore,
  { clock = systemClock, scanFacts = false }: { clock?: Clock; scanFacts?: boolean } = {},
): Promise<Reconciliation> {
  const result: Reconciliation = { completed: [], abandoned: [], orphaned: [] };
  const loading = await db
    .selectFrom('import_log')
    .select(['id', 'kind', 'file_name'])
    .where('state', '=', 'loading')
    .execute();
  const markers = await facts.all<{
    import_id: number;
    rows_read: number;
    rows_loaded: number;
    rows_skipped: number;
    notes: string | null;
  }>('SELECT import_id, rows_read, rows_loaded, rows_skipped, notes FROM import_commit');
  const marked = new Map(markers.map((m) => [m.import_id, m]));
  for (const row of loading) {
    const marker = marked.get(row.id);
    if (marker) {
      await completeImport(
        db,
        row.id,
        {
          rowsRead: marker.rows_read,
          rowsLoaded: marker.rows_loaded,
          rowsSkipped: marker.rows_skipped,
          notes: marker.notes ? [marker.notes] : [],
        },
        reconciler,
        clock,
        true,
      );
      result.completed.push(row.id);
    } else {
      await abandon(db, row, clock);
      result.abandoned.push(row.id);
    }
  }
  const logged = new Set(
    (await db.selectFrom('import_log').select('id').where('state', '=', 'complete').execute()).map(
      (r) => r.id,
    ),
  );
  const suspects = new Set(markers.map((m) => m.import_id).filter((id) => !logged.has(id)));
  // Usually nothing to do at start-up: the fact tables are looked up only when something is.
  const tables = scanFacts || suspects.size ? await factTablesWithImportId(facts) : [];
  if (scanFacts) {
    for (const table of tables) {
      const ids = await facts.all<{ import_id: number }>(`SELECT DISTINCT import_id FROM ${table}`);
      for (const { import_id } of ids) if (!logged.has(import_id)) suspects.add(import_id);
    }
  }
  if (suspects.size) {
    const list = [...suspects].sort((a, b) => a - b);
    await facts.transaction(async (tx) => {
      for (const importId of list) {
        let rows = 0;
        for (const table of tables) {
          const [counted] = await tx.all<{ n: number }>(
            `SELECT count(*) AS n FROM ${table} WHERE import_id = ?`,
            [importId],
          );
          rows += counted?.n ?? 0;
          await tx.run(`DELETE FROM ${table} WHERE import_id = ?`, [importId]);
        }
        await tx.run('DELETE FROM import_commit WHERE import_id = ?', [importId]);
        result.orphaned.push({ importId, rows });
      }
    });
  }
  return result;
}

async function abandon(
  db: Kysely<Database>,
  row: { id: number; kind: string; file_name: string },
  clock: Clock,
) {
  await db.transaction().execute(async (tx) => {
    await tx
      .deleteFrom('import_log')
      .where('id', '=', row.id)
      .where('state', '=', 'loading')
      .execute();
    await audit(
      tx,
      reconciler,
      {
        action: 'import.abandoned',
        entityType: 'import',
        entityId: String(row.id),
        before: { kind: row.kind, file: row.file_name },
      },
      clock,
    );
  });
}

/** What a reconciliation did, in sentences (none when the stores already agreed). */
export function reconciliationText(r: Reconciliation): string[] {
  const ids = (list: number[]) => list.join(', ');
  return [
    ...(r.completed.length
      ? [`completed import ${ids(r.completed)}: its facts had committed before the process stopped`]
      : []),
    ...(r.abandoned.length
      ? [`removed the log of import ${ids(r.abandoned)}: it stopped before its facts committed`]
      : []),
    ...r.orphaned.map(
      (o) => `removed ${o.rows} fact rows of import ${o.importId}, which has no log row`,
    ),
  ];
}
