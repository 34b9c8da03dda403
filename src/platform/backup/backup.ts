// Backup and restore of both stores together: the system of record as JSON lines per table (either
// engine can read them back) and the fact store as Parquet per table, described by one manifest.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type Transaction } from 'kysely';
import { audit, type Actor } from '../audit/audit.service.js';
import { sha256OfFile } from '../imports/import-runner.js';
import type { Database, Db } from '../db/schema.js';
import type { Store } from '../db/database.js';
import { migrate, readMigrations, type Migration } from '../db/migrate.js';
import {
  factMigrationsDir,
  openFactStore,
  type FactSession,
  type FactStore,
} from '../facts/fact-store.js';

export const MANIFEST = 'manifest.json';
const FORMAT = 'flock-backup';
const FORMAT_VERSION = 1;
/** Rows fetched from the system of record per round trip, and inserted per statement on restore. */
const BATCH = 2_000;

export interface BackupFile {
  table: string;
  file: string;
  rows: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  /** Where the backup came from, for people reading the manifest. */
  source: string;
  record: {
    migrations: string[];
    tables: BackupFile[];
    sequences: { sequence: string; lastValue: string; isCalled: boolean }[];
  };
  facts: { migrations: string[]; tables: BackupFile[] };
}

/** A backup that cannot be made or restored, with the reason in words. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The system of record's tables, parents before children so that a restore can insert them in this
 * order with every foreign key checked. Migrations' own bookkeeping is not data.
 */
async function recordTables(db: Db): Promise<string[]> {
  const tables = (
    await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'
      ORDER BY table_name`.execute(db)
  ).rows.map((r) => r.name);
  const links = (
    await sql<{ child: string; parent: string }>`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`.execute(db)
  ).rows;
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (table: string) => {
    if (placed.has(table)) return;
    if (visiting.has(table))
      throw new BackupError(`Tables refer to each other in a cycle through ${table}`);
    visiting.add(table);
    for (const link of links) if (link.child === table && link.parent !== table) place(link.parent);
    visiting.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table);
  return ordered;
}

async function recordSequences(db: Db) {
  return (
    await sql<{ sequence: string }>`
      SELECT sequencename AS sequence FROM pg_sequences WHERE schemaname = 'public'
      ORDER BY sequencename`.execute(db)
  ).rows.map((r) => r.sequence);
}

async function factTables(session: FactSession): Promise<string[]> {
  return (
    await session.all<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migration'
       ORDER BY table_name`,
    )
  ).map((r) => r.name);
}

/** Writes one table of the system of record as gzip-compressed JSON lines, read with a cursor. */
async function dumpRecordTable(trx: Transaction<Database>, table: string, file: string) {
  let rows = 0;
  const cursor = `backup_${table}`;
  await sql
    .raw(
      `DECLARE ${quoteIdent(cursor)} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS line FROM ${quoteIdent(table)} t`,
    )
    .execute(trx);
  async function* lines() {
    for (;;) {
      const batch = (
        await sql.raw<{ line: string }>(`FETCH ${BATCH} FROM ${quoteIdent(cursor)}`).execute(trx)
      ).rows;
      if (batch.length === 0) break;
      rows += batch.length;
      yield batch.map((r) => r.line).join('\n') + '\n';
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  await sql.raw(`CLOSE ${quoteIdent(cursor)}`).execute(trx);
  return rows;
}

/**
 * Writes a backup of both stores into `dir` (new or empty). The system of record is read in one
 * repeatable-read transaction and the fact store in one transaction; the caller holds both stores,
 * so no import can commit between the two reads. The manifest is written last: a folder without
 * one is an unfinished backup and is refused by restore.
 */
export async function backupStores(
  store: Store,
  facts: FactStore,
  dir: string,
  actor: Actor,
): Promise<BackupManifest> {
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new BackupError(`${dir} is not empty; back up into a new or empty folder`);
  await mkdir(path.join(dir, 'record'), { recursive: true });
  await mkdir(path.join(dir, 'facts'), { recursive: true });
  await audit(store.db, actor, { action: 'backup.made', entityType: 'backup', after: { dir } });

  const record = await store.db.transaction().execute(async (trx) => {
    await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(trx);
    const migrations = (
      await sql<{ version: string }>`SELECT version FROM schema_migration ORDER BY version`.execute(
        trx,
      )
    ).rows.map((r) => r.version);
    const tables: BackupFile[] = [];
    for (const table of await recordTables(trx)) {
      const file = path.join('record', `${table}.jsonl.gz`);
      const rows = await dumpRecordTable(trx, table, path.join(dir, file));
      tables.push({ table, file, rows, sha256: await sha256OfFile(path.join(dir, file)) });
    }
    const sequences = [];
    for (const sequence of await recordSequences(trx)) {
      const [state] = (
        await sql
          .raw<{
            last_value: bigint | string;
            is_called: boolean;
          }>(`SELECT last_value, is_called FROM ${quoteIdent(sequence)}`)
          .execute(trx)
      ).rows;
      if (state)
        sequences.push({
          sequence,
          lastValue: String(state.last_value),
          isCalled: state.is_called,
        });
    }
    return { migrations, tables, sequences };
  });

  const factPart = await facts.transaction(async (session) => {
    const migrations = (
      await session.all<{ version: string }>(
        'SELECT version FROM schema_migration ORDER BY version',
      )
    ).map((r) => r.version);
    const tables: BackupFile[] = [];
    for (const table of await factTables(session)) {
      const file = path.join('facts', `${table}.parquet`);
      await session.run(
        `COPY ${quoteIdent(table)} TO ${quoteText(path.join(dir, file))} (FORMAT parquet, COMPRESSION zstd)`,
      );
      const [count] = await session.all<{ n: number }>(
        `SELECT count(*) AS n FROM ${quoteIdent(table)}`,
      );
      tables.push({
        table,
        file,
        rows: count?.n ?? 0,
        sha256: await sha256OfFile(path.join(dir, file)),
      });
    }
    return { migrations, tables };
  });

  const manifest: BackupManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    source: `${store.description}; ${facts.description}`,
    record,
    facts: factPart,
  };
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Reads and checks a backup's manifest and the checksum of every file it names. */
export async function readBackup(dir: string): Promise<BackupManifest> {
  const manifestFile = path.join(dir, MANIFEST);
  if (!existsSync(manifestFile))
    throw new BackupError(
      `${dir} has no ${MANIFEST}: it is not a Flock backup, or its backup did not finish`,
    );
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new BackupError(`${manifestFile} is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest.format !== FORMAT || manifest.formatVersion !== FORMAT_VERSION)
    throw new BackupError(
      `${manifestFile} is not a Flock backup of format ${FORMAT_VERSION} (format ${String(manifest.format)} ${String(manifest.formatVersion)})`,
    );
  for (const entry of [...manifest.record.tables, ...manifest.facts.tables]) {
    const file = path.join(dir, entry.file);
    if (!existsSync(file)) throw new BackupError(`${file} is missing from the backup`);
    if ((await sha256OfFile(file)) !== entry.sha256)
      throw new BackupError(`${file} has changed since the backup was made (checksum differs)`);
  }
  return manifest;
}

/**
 * The code's migrations that the backup was made at. A backup from an older Flock restores at its
 * own schema, and later migrations are applied after; one from a newer Flock is refused.
 */
function migrationsAt(all: Migration[], versions: string[], store: string): Migration[] {
  const known = new Set(all.map((m) => m.version));
  const unknown = versions.filter((v) => !known.has(v));
  if (unknown.length)
    throw new BackupError(
      `The backup's ${store} has migrations this Flock does not know (${unknown.join(', ')}); restore it with the Flock that made it or a later one`,
    );
  const prefix = all.slice(0, versions.length).map((m) => m.version);
  if (prefix.join() !== versions.join())
    throw new BackupError(
      `The backup's ${store} migrations (${versions.join(', ')}) are not the first ${versions.length} of this Flock's`,
    );
  return all.slice(0, versions.length);
}

/** A store that has never been used: no user, no import, no audit event. */
async function isUnused(db: Db): Promise<boolean> {
  const [row] = (
    await sql<{ used: boolean }>`
      SELECT EXISTS (SELECT 1 FROM app_user) OR EXISTS (SELECT 1 FROM import_log)
        OR EXISTS (SELECT 1 FROM audit_event) AS used`.execute(db)
  ).rows;
  return !row?.used;
}

async function restoreRecordTable(trx: Transaction<Database>, table: string, file: string) {
  const input = readline.createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let batch: string[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sql`INSERT INTO ${sql.table(table)} SELECT * FROM json_populate_recordset(NULL::${sql.table(table)}, ${'[' + batch.join(',') + ']'}::json)`.execute(
      trx,
    );
    rows += batch.length;
    batch = [];
  };
  for await (const line of input) {
    if (line === '') continue;
    batch.push(line);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return rows;
}

export interface RestoreResult {
  recordRows: number;
  factRows: number;
  manifest: BackupManifest;
}

/**
 * Restores a backup into stores that have never been used (a new data folder, a new PostgreSQL
 * database). The fact store is rebuilt in a file beside its final place, the system of record in
 * one transaction, and only then is the fact file moved into place; a restore that fails leaves
 * the target as unused as it found it.
 */
export async function restoreStores(
  store: Store,
  dataDir: string,
  dir: string,
  actor: Actor,
): Promise<RestoreResult> {
  const manifest = await readBackup(dir);
  const factFile = path.join(dataDir, 'facts.duckdb');
  if (existsSync(factFile))
    throw new BackupError(
      `${factFile} already exists; restore into a new data folder (FLOCK_DATA_DIR)`,
    );
  const recordMigrations = migrationsAt(
    await readMigrations(),
    manifest.record.migrations,
    'system of record',
  );
  const factMigrations = migrationsAt(
    await readMigrations(factMigrationsDir),
    manifest.facts.migrations,
    'fact store',
  );
  await migrate(store, recordMigrations);
  if (!(await isUnused(store.db)))
    throw new BackupError(
      `${store.description} already holds data (users, imports or audit events); restore into a new database`,
    );

  const staging = path.join(dataDir, 'restoring');
  await rm(staging, { recursive: true, force: true });
  let factRows = 0;
  const facts = await openFactStore({ dataDir: staging, migrations: factMigrations });
  try {
    await facts.transaction(async (session) => {
      for (const entry of manifest.facts.tables) {
        await session.run(
          `INSERT INTO ${quoteIdent(entry.table)} BY NAME SELECT * FROM read_parquet(${quoteText(path.join(dir, entry.file))})`,
        );
        const [count] = await session.all<{ n: number }>(
          `SELECT count(*) AS n FROM ${quoteIdent(entry.table)}`,
        );
        if (count?.n !== entry.rows)
          throw new BackupError(
            `${entry.file}: ${count?.n ?? 0} rows restored where the manifest says ${entry.rows}`,
          );
        factRows += entry.rows;
      }
    });
  } finally {
    facts.close();
  }

  let recordRows = 0;
  await store.db.transaction().execute(async (trx) => {
    // Rows that migrations insert themselves (England) come back from the backup.
    for (const entry of [...manifest.record.tables].reverse())
      await sql`DELETE FROM ${sql.table(entry.table)}`.execute(trx);
    for (const entry of manifest.record.tables) {
      const rows = await restoreRecordTable(trx, entry.table, path.join(dir, entry.file));
      if (rows !== entry.rows)
        throw new BackupError(
          `${entry.file}: ${rows} rows restored where the manifest says ${entry.rows}`,
        );
      recordRows += rows;
    }
    for (const s of manifest.record.sequences)
      await sql`SELECT setval(${quoteIdent(s.sequence)}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`.execute(
        trx,
      );
    await audit(trx, actor, {
      action: 'backup.restored',
      entityType: 'backup',
      after: { dir, createdAt: manifest.createdAt, recordRows, factRows },
    });
  });
  // The fact file and, should DuckDB have left one, its write-ahead log.
  for (const name of await readdir(staging))
    if (name.startsWith('facts.duckdb'))
      await rename(path.join(staging, name), path.join(dataDir, name));
  await rm(staging, { recursive: true, force: true });
  return { recordRows, factRows, manifest };
}
