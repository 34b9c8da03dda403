// Fresh, migrated stores for each test file: in-memory PGlite and, when available, a new PostgreSQL database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';

export type Engine = 'pglite' | 'postgres';

/** The engines integration tests run on. Under CI both are required (global setup fails otherwise). */
export function engines(): Engine[] {
  return inject('postgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

export async function freshStore(engine: Engine): Promise<Store> {
  if (engine === 'pglite') {
    const store = await openStore({ dataDir: 'memory' });
    await migrate(store);
    return store;
  }
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) throw new Error('no PostgreSQL server for this test run');
  const name = `flock_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), dataDir: 'memory' });
  await migrate(store);
  const close = store.close;
  return {
    ...store,
    close: async () => {
      await close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
