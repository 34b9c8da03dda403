// Applies the ordered schema migrations at start-up, each once, and refuses to run if one has changed.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../app/config.js';
import type { ScriptRunner, Store } from './database.js';

export const migrationsDir = path.join(projectRoot, 'migrations');

export interface Migration {
  version: string;
  name: string;
  checksum: string;
  sql: string;
}

/** Reads `NNNN_name.sql` files in version order. */
export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8');
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
      return {
        version: version ?? file,
        name: rest.join('_'),
        checksum: createHash('sha256').update(sql).digest('hex'),
        sql,
      };
    }),
  );
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Applies every migration not yet applied; returns the versions applied now. */
export async function migrate(store: Store, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await readMigrations());
  return store.withScriptSession(async (run) => {
    await run(`CREATE TABLE IF NOT EXISTS schema_migration (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)`);
    if (store.engine === 'postgres') await run('SELECT pg_advisory_lock(4711001)');
    try {
      return await applyPending(store, run, all);
    } finally {
      if (store.engine === 'postgres') await run('SELECT pg_advisory_unlock(4711001)');
    }
  });
}

async function applyPending(store: Store, run: ScriptRunner, all: Migration[]): Promise<string[]> {
  const applied = await store.db
    .selectFrom('schema_migration' as never)
    .select(['version', 'checksum'] as never[])
    .execute();
  const appliedChecksums = new Map(
    (applied as unknown as { version: string; checksum: string }[]).map((r) => [
      r.version,
      r.checksum,
    ]),
  );
  const done: string[] = [];
  for (const migration of all) {
    const previous = appliedChecksums.get(migration.version);
    if (previous !== undefined) {
      if (previous !== migration.checksum) {
        throw new Error(
          `Migration ${migration.version}_${migration.name} was changed after it was applied ` +
            `(checksum ${previous.slice(0, 12)}… now ${migration.checksum.slice(0, 12)}…). ` +
            'Add a new migration instead of editing an applied one.',
        );
      }
      continue;
    }
    await run('BEGIN');
    try {
      await run(migration.sql);
      await run(
        `INSERT INTO schema_migration (version, name, checksum, applied_at) VALUES (` +
          `${quote(migration.version)}, ${quote(migration.name)}, ${quote(migration.checksum)}, now())`,
      );
      await run('COMMIT');
    } catch (error) {
      await run('ROLLBACK');
      throw new Error(`Migration ${migration.version}_${migration.name} failed: ${String(error)}`, {
        cause: error,
      });
    }
    done.push(migration.version);
  }
  return done;
}
