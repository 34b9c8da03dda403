// The fact store: bulk published facts in embedded DuckDB (`.flock/facts.duckdb`), migrated at open.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  dateValue,
  DuckDBInstance,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { projectRoot } from '../../app/config.js';
import { StoreInUseError } from '../db/database.js';
import { readMigrations, type Migration } from '../db/migrate.js';

export const factMigrationsDir = path.join(projectRoot, 'migrations/facts');

export type FactValue = string | number | boolean | null;
export type ColumnType = 'varchar' | 'integer' | 'bigint' | 'double' | 'date' | 'boolean';

export interface FactSession {
  run(sqlText: string, params?: FactValue[]): Promise<void>;
  all<Row>(sqlText: string, params?: FactValue[]): Promise<Row[]>;
  /**
   * The first column of a numeric query as one array, read chunk by chunk without building row
   * objects: for series of millions of counts. A null is refused.
   */
  numbers(sqlText: string, params?: FactValue[]): Promise<Float64Array>;
  /** How far the statement now running on this session has got, from 0 to 1 (0 when unknown). */
  progress(): number;
  /** Appends rows to a table (or temporary table) column by column, far faster than INSERT. */
  append(table: string, types: readonly ColumnType[], rows: readonly FactValue[][]): Promise<void>;
}

/** A transaction on the writer connection, held open until committed or rolled back. */
export interface FactTransaction {
  readonly session: FactSession;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface FactStore extends Omit<FactSession, 'append' | 'progress'> {
  readonly description: string;
  /** Runs `work` in one transaction on the writer connection; other writers wait their turn. */
  transaction<T>(work: (session: FactSession) => Promise<T>): Promise<T>;
  /**
   * Opens a transaction that the caller ends (an import, which commits its facts only once the
   * system of record holds its log row). Other writers wait until it ends.
   */
  begin(): Promise<FactTransaction>;
  close(): void;
}

/** One operation at a time per connection: DuckDB connections are not re-entrant. */
function queue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
}

const DAY_MS = 86_400_000;

/**
 * The fact store's default memory limit: with Node, the embedded database and DuckDB's own
 * allocations outside it, a process importing a national prescribing month then peaks under 2 GB
 * (1,987 MB measured; with 2GB here it peaked at 2.8 GB and took 29 s instead of 36 s).
 */
export const DEFAULT_FACTS_MEMORY = '1200MB';

/**
 * Text values as a SQL list for `IN (…)`, quotes doubled: for lists of codes too long to bind one by
 * one (a group's practices). An empty list matches nothing.
 */
export const sqlTextList = (values: readonly string[]) =>
  values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ') || "''";

/** FLOCK_TRACE_FACTS=1 prints each statement's time to standard error (for tuning imports). */
const trace = process.env.FLOCK_TRACE_FACTS === '1';

function appendValue(appender: DuckDBAppender, type: ColumnType, value: FactValue) {
  if (value === null) return appender.appendNull();
  switch (type) {
    case 'varchar':
      return appender.appendVarchar(String(value));
    case 'integer':
      return appender.appendInteger(Number(value));
    case 'bigint':
      return appender.appendBigInt(BigInt(value));
    case 'double':
      return appender.appendDouble(Number(value));
    case 'boolean':
      return appender.appendBoolean(Boolean(value));
    case 'date':
      return appender.appendDate(
        dateValue(Math.round(Date.parse(`${String(value)}T00:00:00Z`) / DAY_MS)),
      );
  }
}

/** Counts and sums come back as bigint; facts stay far below 2^53, so plain numbers are exact. */
function plainRow(row: Record<string, unknown>) {
  for (const key of Object.keys(row)) {
    if (typeof row[key] === 'bigint') row[key] = Number(row[key]);
  }
  return row;
}

function session(connection: DuckDBConnection): FactSession {
  return {
    run: async (sqlText, params) => {
      const started = trace ? performance.now() : 0;
      await connection.run(sqlText, params as DuckDBValue[] | undefined);
      if (trace)
        process.stderr.write(
          `[facts ${((performance.now() - started) / 1000).toFixed(2)} s] ${sqlText.replace(/\s+/g, ' ').slice(0, 90)}\n`,
        );
    },
    all: async <Row>(sqlText: string, params?: FactValue[]) => {
      const reader = await connection.runAndReadAll(sqlText, params as DuckDBValue[] | undefined);
      return reader.getRowObjectsJS().map(plainRow) as Row[];
    },
    numbers: async (sqlText, params) => {
      const result = await connection.run(sqlText, params as DuckDBValue[] | undefined);
      let values = new Float64Array(1 << 16);
      let length = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const vector = chunk.getColumnVector(0);
        if (length + chunk.rowCount > values.length) {
          const grown = new Float64Array(Math.max(values.length * 2, length + chunk.rowCount));
          grown.set(values);
          values = grown;
        }
        for (let i = 0; i < chunk.rowCount; i++) {
          const item = vector.getItem(i);
          if (item === null) throw new Error(`numbers: row ${length + 1} is null`);
          values[length++] = Number(item);
        }
      }
      return values.subarray(0, length);
    },
    progress: () => Math.max(0, connection.progress.percentage) / 100,
    append: async (table, types, rows) => {
      const appender = await connection.createAppender(table);
      try {
        for (const row of rows) {
          types.forEach((type, i) => appendValue(appender, type, row[i] ?? null));
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    },
  };
}

export interface FactStoreOptions {
  /** Folder for `facts.duckdb`, or 'memory' for a throwaway store. */
  dataDir: string | 'memory';
  migrations?: Migration[];
}

export async function openFactStore(options: FactStoreOptions): Promise<FactStore> {
  let file = ':memory:';
  if (options.dataDir !== 'memory') {
    await mkdir(options.dataDir, { recursive: true });
    file = path.join(options.dataDir, 'facts.duckdb');
  }
  // A national prescribing month is larger than memory should be allowed to grow: past the limit
  // DuckDB spills to a temporary folder instead (FLOCK_FACTS_MEMORY).
  const spill =
    options.dataDir === 'memory'
      ? path.join(os.tmpdir(), `flock-duckdb-${process.pid}`)
      : path.join(options.dataDir, 'duckdb-spill');
  const instance = await DuckDBInstance.create(file, {
    memory_limit: process.env.FLOCK_FACTS_MEMORY ?? DEFAULT_FACTS_MEMORY,
    temp_directory: spill,
  }).catch((error: Error) => {
    if (/lock/i.test(error.message)) {
      throw new StoreInUseError(
        `The fact store ${file} is in use by another Flock process. Stop it first, or run this command through it.`,
      );
    }
    throw error;
  });
  const writer = await instance.connect();
  const reader = await instance.connect();
  // Progress of long statements (an import's read of the file) for progress bars, never printed.
  await writer.run('SET enable_progress_bar = true');
  await writer.run('SET enable_progress_bar_print = false');
  const writes = queue();
  const reads = queue();
  const writerSession = session(writer);
  const readerSession = session(reader);
  const store: FactStore = {
    description: file === ':memory:' ? 'DuckDB in memory' : `DuckDB at ${file}`,
    run: (sqlText, params) => writes(() => writerSession.run(sqlText, params)),
    all: (sqlText, params) => reads(() => readerSession.all(sqlText, params)),
    numbers: (sqlText, params) => reads(() => readerSession.numbers(sqlText, params)),
    transaction: (work) =>
      writes(async () => {
        await writer.run('BEGIN TRANSACTION');
        try {
          const result = await work(writerSession);
          await writer.run('COMMIT');
          return result;
        } catch (error) {
          await writer.run('ROLLBACK');
          throw error;
        }
      }),
    begin: () =>
      new Promise<FactTransaction>((opened, failed) => {
        writes(async () => {
          await writer.run('BEGIN TRANSACTION');
          let end!: () => void;
          const ended = new Promise<void>((resolve) => (end = resolve));
          let done = false;
          // Once ended, the connection is the next writer's: a second commit or rollback does nothing.
          const finish = (statement: 'COMMIT' | 'ROLLBACK') => async () => {
            if (done) return;
            done = true;
            try {
              await writer.run(statement);
            } catch (error) {
              if (statement === 'COMMIT') await writer.run('ROLLBACK').catch(() => undefined);
              throw error;
            } finally {
              end();
            }
          };
          opened({
            session: writerSession,
            commit: finish('COMMIT'),
            rollback: finish('ROLLBACK'),
          });
          await ended;
        }).catch(failed);
      }),
    close: () => {
      reader.closeSync();
      writer.closeSync();
      instance.closeSync();
    },
  };
  await migrateFacts(store, options.migrations ?? (await readMigrations(factMigrationsDir)));
  return store;
}

/** Applies fact-store migrations once each, refusing any that changed after being applied. */
async function migrateFacts(store: FactStore, migrations: Migration[]) {
  await store.run(
    'CREATE TABLE IF NOT EXISTS schema_migration (version VARCHAR PRIMARY KEY, name VARCHAR, checksum VARCHAR, applied_at TIMESTAMP)',
  );
  const applied = new Map(
    (
      await store.all<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migration',
      )
    ).map((row) => [row.version, row.checksum]),
  );
  for (const migration of migrations) {
    const previous = applied.get(migration.version);
    if (previous !== undefined) {
      if (previous !== migration.checksum) {
        throw new Error(
          `Fact-store migration ${migration.version}_${migration.name} was changed after it was applied; add a new one instead.`,
        );
      }
      continue;
    }
    await store.transaction(async (tx) => {
      await tx.run(migration.sql);
      await tx.run('INSERT INTO schema_migration VALUES (?, ?, ?, now())', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
    });
  }
}
