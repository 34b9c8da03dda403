// A store seeded with the demo practices' real rows and a few users, plus the app over it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import { inject } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { openStore, type Store } from '../../src/platform/db/database.js';
import { openFactStore, type FactStore } from '../../src/platform/facts/fact-store.js';
import type { AppEnv } from '../../src/platform/http/http.types.js';
import { createDatabase, databaseName, dropDatabase } from './seed-template.js';
import type { Engine } from './stores.js';

export { PASSWORD, users } from './seed-template.js';

/** The subset of the shared data the run was seeded from (written once, in global setup). */
export const subsetData = () => inject('subsetDir');

export interface Seeded {
  store: Store;
  facts: FactStore;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

/**
 * A copy of the run's seeded stores for one test file: the published data of the demo practices,
 * the demo's synthetic activity, plan and ledger, governing body and the test users.
 */
export async function seededApp(engine: Engine): Promise<Seeded> {
  const templates = inject('seedTemplates');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flock-test-'));
  const serverUrl = inject('postgresUrl');
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    if (!serverUrl || !templates.postgres)
      throw new Error('no PostgreSQL server for this test run');
    cpSync(templates.postgres.dataDir, dataDir, { recursive: true });
    databaseUrl = await createDatabase(serverUrl, databaseName(templates.postgres.databaseUrl));
  } else {
    cpSync(templates.pglite.dataDir, dataDir, { recursive: true });
  }
  const store = await openStore({ dataDir, databaseUrl });
  const facts = await openFactStore({ dataDir });
  const app = createApp({
    db: store.db,
    facts,
    config: { demo: false, secureCookies: false },
    dataCacheTtlMs: 0,
  });
  return {
    store,
    facts,
    app,
    close: async () => {
      facts.close();
      await store.close();
      if (serverUrl && databaseUrl) await dropDatabase(serverUrl, databaseName(databaseUrl));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
