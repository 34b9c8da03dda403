// Fresh, migrated stores for each test file: in-memory PGlite and, when available, a new PostgreSQL database.
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createDatabase, databaseName, dropDatabase } from './seed-template.js';

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
  const url = await createDatabase(serverUrl);
  const store = await openStore({ databaseUrl: url, dataDir: 'memory' });
  await migrate(store);
  const close = store.close;
  return {
    ...store,
    close: async () => {
      await close();
      await dropDatabase(serverUrl, databaseName(url));
    },
  };
}
