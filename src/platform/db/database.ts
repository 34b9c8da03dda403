// Opens the system of record: embedded PGlite by default, a PostgreSQL server when a URL is given.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PgliteDialect } from './pglite-dialect.js';
import pg from 'pg';
import type { Database } from './schema.js';

/** Runs SQL text (several statements allowed) on one connection. */
export type ScriptRunner = (sqlText: string) => Promise<void>;

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: 'pglite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  readonly description: string;
  /** Gives `work` one connection on which multi-statement scripts can run (for migrations). */
  withScriptSession<T>(work: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

// Same value shapes on both engines: bigint for int8, 'YYYY-MM-DD' text for dates, exact text for numeric.
const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => BigInt(value),
  [DATE]: (value) => value,
  [NUMERIC]: (value) => value,
};

export interface StoreOptions {
  /** PostgreSQL server URL; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database, or 'memory' for a throwaway one. */
  dataDir: string | 'memory';
}

/** Opens the configured store. The caller owns it and must close it. */
export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

const processIsAlive = (pid: number) => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    return process.kill(pid, 0); // signal 0 only asks whether the process exists
  } catch {
    return false;
  }
};

/** Another process holds the embedded database. */
export class StoreInUseError extends Error {
  override name = 'StoreInUseError';
}

/**
 * The embedded database must have one user at a time: a second process (say `flock import` while
 * `npm start` runs) would corrupt it. A lock file holding the owner's process id keeps it out.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'pg.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8').trim());
      const alive = processIsAlive(owner);
      if (alive) {
        throw new StoreInUseError(
          `The embedded database in ${dataDir} is in use by another Flock process (pid ${owner}). ` +
            'Stop it first (or run this command through it), or use a PostgreSQL server with DATABASE_URL.',
        );
      }
      rmSync(lockFile, { force: true }); // left behind by a process that has ended
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}

async function openPglite(dataDir: string): Promise<Store> {
  let location: string | undefined;
  let unlock = () => {};
  if (dataDir !== 'memory') {
    location = path.join(dataDir, 'pg');
    await mkdir(location, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  // PGlite only reads options from the first argument when that is an object.
  const pglite = new PGlite(location ? { dataDir: location, parsers } : { parsers });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    description: location ? `embedded PGlite at ${location}` : 'embedded PGlite in memory',
    withScriptSession: (work) => work(async (sqlText) => void (await pglite.exec(sqlText))),
    close: async () => {
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      parsers[oid] ?? pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, types, max: 10 });
  // An idle connection the server ends (a restart, a dropped database) is replaced on next use;
  // without a listener its error would crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  return {
    db,
    engine: 'postgres',
    description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
    withScriptSession: async (work) => {
      const client = await pool.connect();
      try {
        return await work(async (sqlText) => void (await client.query(sqlText)));
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}
