// Backup and restore of both stores: a restored copy answers every API path exactly as the original.
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { backupStores, MANIFEST, restoreStores } from '../../src/platform/backup/backup.js';
import { openStore, type Store } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openFactStore, type FactStore } from '../../src/platform/facts/fact-store.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import type { AppEnv } from '../../src/platform/http/http.types.js';
import { prescribingImporter } from '../../src/prescribing/prescribing.import.js';
import { AppClient } from '../support/app-client.js';
import { createDatabase, databaseName, dropDatabase } from '../support/seed-template.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines, type Engine } from '../support/stores.js';
import { sharedDataDir } from '../support/subset-data.js';

const actor = systemActor('test');
const sample = path.join(sharedDataDir, 'prescribing-samples', 'epd_201709_4practices.csv');

/** Values for the API's path parameters, from the seeded demo group. */
const parameters: Record<string, string> = {
  code: '09G',
  practice: 'H82006',
  measure: 'gp-referrals-made-all',
  id: '1',
};
const prescribingMeasure = 'broad_spectrum_antibiotics';

/** A JSON answer without the time it took to compute (the financial risk simulation says so). */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'seconds' ? undefined : v));

function apiPaths(app: Hono<AppEnv>): string[] {
  const paths = new Set(
    app.routes
      .filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !r.path.includes('*'))
      .map((r) =>
        r.path
          .replace('/prescribing/measures/:measure', `/prescribing/measures/${prescribingMeasure}`)
          .replace(/:(\w+)/g, (_, name: string) => parameters[name] ?? `:${name}`),
      ),
  );
  return [...paths].filter((p) => p !== '/api/v1/audit');
}

interface Target {
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

async function emptyTarget(engine: Engine): Promise<Target> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-restore-'));
  const serverUrl = inject('postgresUrl');
  const databaseUrl =
    engine === 'postgres' && serverUrl ? await createDatabase(serverUrl) : undefined;
  return {
    dataDir,
    databaseUrl,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (serverUrl && databaseUrl) await dropDatabase(serverUrl, databaseName(databaseUrl));
    },
  };
}

describe.each(engines())('backup and restore on %s', (engine) => {
  let seeded: Seeded;
  let backupDir: string;
  let target: Target;
  let restored: { store: Store; facts: FactStore; app: Hono<AppEnv> };

  beforeAll(async () => {
    seeded = await seededApp(engine);
    // Prescribing facts and their measures too, so that every fact table has rows to carry.
    await runImport(seeded.store.db, prescribingImporter(), sample, {
      actor,
      facts: seeded.facts,
    });
    backupDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'flock-backup-')), 'backup');
    await backupStores(seeded.store, seeded.facts, backupDir, actor);

    target = await emptyTarget(engine);
    const store = await openStore({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
    try {
      await restoreStores(store, target.dataDir, backupDir, actor);
    } finally {
      await store.close();
    }
    const store2 = await openStore({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
    await migrate(store2);
    const facts = await openFactStore({ dataDir: target.dataDir });
    restored = {
      store: store2,
      facts,
      app: createApp({
        db: store2.db,
        facts,
        config: { demo: false, secureCookies: false },
        dataCacheTtlMs: 0,
      }),
    };
  }, 120_000);

  afterAll(async () => {
    restored.facts.close();
    await restored.store.close();
    await target.drop();
    await seeded.close();
    rmSync(path.dirname(backupDir), { recursive: true, force: true });
  });

  it.each([
    ['admin.coastal@example.nhs.uk'],
    ['finance.coastal@example.nhs.uk'],
    ['gp.coastal@example.nhs.uk'],
  ])('answers every API path as the original did, signed in as %s', async (email) => {
    const original = new AppClient(seeded.app);
    const copy = new AppClient(restored.app);
    await original.signIn(email, PASSWORD);
    await copy.signIn(email, PASSWORD);
    const paths = apiPaths(seeded.app);
    expect(paths.length).toBeGreaterThanOrEqual(45);
    let answered = 0;
    const differ: string[] = [];
    for (const url of paths) {
      const [a, b] = [await original.get(url), await copy.get(url)];
      expect(b.status, url).toBe(a.status);
      if (url === '/api/v1/me') continue; // names the session, which is new on each side
      if (!isDeepStrictEqual(comparable(await a.json()), comparable(await b.json())))
        differ.push(url);
      if (a.status === 200) answered++;
    }
    expect(differ).toEqual([]);
    // The comparison means something only when most paths answer with data.
    expect(answered).toBeGreaterThanOrEqual(25);
  });

  it('keeps the audit log, records the restore, and never reuses an id', async () => {
    const count = async (db: Store['db'], action: string) =>
      Number(
        (
          await db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count(restored.store.db, 'backup.made')).toBe(1);
    expect(await count(restored.store.db, 'backup.restored')).toBe(1);
    const maxId = async (store: Store) =>
      Number(
        (
          await store.db
            .selectFrom('import_log')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirstOrThrow()
        ).id,
      );
    const before = await maxId(seeded.store);
    expect(await maxId(restored.store)).toBe(before);
    // The same file again is already imported; a changed copy is a new import with a new id.
    const again = await runImport(restored.store.db, prescribingImporter(), sample, {
      actor,
      facts: restored.facts,
    });
    expect(again.status).toBe('unchanged');
    const facts = await restored.facts.all<{ n: number }>(
      "SELECT count(*) AS n FROM prescribing WHERE month = '2017-09-01'",
    );
    const originalFacts = await seeded.facts.all<{ n: number }>(
      "SELECT count(*) AS n FROM prescribing WHERE month = '2017-09-01'",
    );
    expect(facts[0]?.n).toBeGreaterThan(0);
    expect(facts[0]?.n).toBe(originalFacts[0]?.n);
  });

  it('refuses a target that holds data, a non-empty backup folder, and a damaged backup', async () => {
    await expect(backupStores(seeded.store, seeded.facts, backupDir, actor)).rejects.toThrow(
      /is not empty/,
    );
    const other = await emptyTarget(engine);
    try {
      // A system of record in use (the original) is never overwritten.
      await expect(restoreStores(seeded.store, other.dataDir, backupDir, actor)).rejects.toThrow(
        /already holds data/,
      );
      const store = await openStore({ dataDir: other.dataDir, databaseUrl: other.databaseUrl });
      try {
        writeFileSync(path.join(other.dataDir, 'facts.duckdb'), '');
        await expect(restoreStores(store, other.dataDir, backupDir, actor)).rejects.toThrow(
          /already exists/,
        );
        rmSync(path.join(other.dataDir, 'facts.duckdb'));
        // A damaged file is found by its checksum before anything is written.
        const copy = path.join(other.dataDir, 'damaged');
        cpSync(backupDir, copy, { recursive: true });
        appendFileSync(path.join(copy, 'record', 'organisation.jsonl.gz'), 'x');
        await expect(restoreStores(store, other.dataDir, copy, actor)).rejects.toThrow(
          /organisation\.jsonl\.gz has changed since the backup was made/,
        );
        rmSync(path.join(copy, MANIFEST));
        await expect(restoreStores(store, other.dataDir, copy, actor)).rejects.toThrow(
          /no manifest\.json: it is not a Flock backup, or its backup did not finish/,
        );
        expect(existsSync(path.join(other.dataDir, 'facts.duckdb'))).toBe(false);
        // Refusals wrote nothing: the target can still take the backup.
        await restoreStores(store, other.dataDir, backupDir, actor);
      } finally {
        await store.close();
      }
    } finally {
      await other.drop();
    }
  });

  it('writes a manifest that names every table with its rows and checksum', () => {
    const manifest = JSON.parse(readFileSync(path.join(backupDir, MANIFEST), 'utf8')) as {
      record: { tables: { table: string; rows: number }[] };
      facts: { tables: { table: string; rows: number }[] };
    };
    const rows = (tables: { table: string; rows: number }[], table: string) =>
      tables.find((t) => t.table === table)?.rows ?? 0;
    expect(rows(manifest.record.tables, 'organisation')).toBeGreaterThan(40);
    expect(rows(manifest.record.tables, 'import_log')).toBeGreaterThan(5);
    expect(rows(manifest.facts.tables, 'prescribing')).toBeGreaterThan(0);
    expect(rows(manifest.facts.tables, 'practice_activity')).toBeGreaterThan(0);
  });
});
