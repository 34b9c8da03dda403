// Imports killed for real (the process sends itself SIGKILL) at each point between and around the two
// stores' commits: after a restart the stores agree, and importing the same file again works.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../src/app/config.js';
import { openStore } from '../../src/platform/db/database.js';
import { openFactStore } from '../../src/platform/facts/fact-store.js';
import { factTablesWithImportId } from '../../src/platform/imports/import-commit.js';
import type { CrashPoint } from '../../src/platform/imports/crash-points.js';
import { sharedDataDir } from '../support/subset-data.js';
import { engines, type Engine } from '../support/stores.js';
import { createDatabase, databaseName, dropDatabase } from '../support/seed-template.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'flock-crash-'));
const databases: { serverUrl: string; url: string }[] = [];
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const { serverUrl, url } of databases) await dropDatabase(serverUrl, databaseName(url));
});

async function copyDatabase(serverUrl: string, template: string): Promise<string> {
  const url = await createDatabase(serverUrl, databaseName(template));
  databases.push({ serverUrl, url });
  return url;
}

interface Place {
  dataDir: string;
  databaseUrl: string;
}

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

function flock(place: Place, args: string[], crashAt?: CrashPoint): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin/flock.js'), ...args],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          FLOCK_DATA_DIR: place.dataDir,
          DATABASE_URL: place.databaseUrl,
          FLOCK_DEMO: 'false',
          FLOCK_TEST_CRASH_AT: crashAt ?? '',
        },
      },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; signal?: string }) | null;
        resolve({ code: e ? (e.code ?? null) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** What both stores hold: log rows by state, and the import ids found in every fact table. */
async function inspect(place: Place) {
  const store = await openStore({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
  const facts = await openFactStore({ dataDir: place.dataDir });
  try {
    const log = await store.db.selectFrom('import_log').select(['id', 'state']).execute();
    const factIds = new Set<number>();
    for (const table of await factTablesWithImportId(facts))
      for (const r of await facts.all<{ import_id: number }>(
        `SELECT DISTINCT import_id FROM ${table}`,
      ))
        factIds.add(r.import_id);
    const [rx] = await facts.all<{ n: number }>(
      `SELECT count(*) AS n FROM prescribing WHERE month = DATE '2017-10-01'`,
    );
    return {
      loading: log.filter((r) => r.state === 'loading').map((r) => r.id),
      complete: new Set(log.filter((r) => r.state === 'complete').map((r) => r.id)),
      factIds,
      prescribingRows: rx?.n ?? 0,
    };
  } finally {
    facts.close();
    await store.close();
  }
}

/** A file of each importer, none of them in the template yet. */
function files() {
  const prescribing = path.join(sharedDataDir, 'prescribing-samples/epd_201710_4practices.csv');
  const activity = path.join(work, 'practice-activity-crash.csv');
  writeFileSync(
    activity,
    'practice_code,month,point_of_delivery,treatment_function,count\nH82006,2019-04,gp-referral,100,7\nH82006,2019-04,gp-referral,101,3\n',
  );
  return { prescribing, activity };
}

describe.each(engines())('an import killed for real, on %s', (engine: Engine) => {
  const template: Place = { dataDir: '', databaseUrl: '' };
  let serverUrl: string | null = null;
  let ledgerFile = '';
  let cases = 0;

  beforeAll(() => {
    // The run's seeded stores (test/support/seed-template.ts) are the starting point.
    const templates = inject('seedTemplates');
    serverUrl = engine === 'postgres' ? inject('postgresUrl') : null;
    template.dataDir =
      engine === 'postgres' ? templates.postgres!.dataDir : templates.pglite.dataDir;
    template.databaseUrl = engine === 'postgres' ? templates.postgres!.databaseUrl : '';
    // A month the demo ledger does not have yet, from one it has.
    const ledgerDir = path.join(template.dataDir, 'ledger');
    const april = readdirSync(ledgerDir).find((f) => f.endsWith('2022-04.csv'))!;
    ledgerFile = path.join(work, `${engine}-ledger-09G-2022-10.csv`);
    writeFileSync(
      ledgerFile,
      readFileSync(path.join(ledgerDir, april), 'utf8').replaceAll(',2022-04,', ',2022-10,'),
    );
  });

  /** A copy of the template: the data folder, and on PostgreSQL a database made from it. */
  async function copyOfTemplate(): Promise<Place> {
    const dataDir = path.join(work, `${engine}-case-${++cases}`);
    cpSync(template.dataDir, dataDir, { recursive: true });
    return {
      dataDir,
      databaseUrl: serverUrl ? await copyDatabase(serverUrl, template.databaseUrl) : '',
    };
  }

  async function expectAgreement(place: Place) {
    const held = await inspect(place);
    expect(held.loading).toEqual([]);
    expect([...held.factIds].filter((id) => !held.complete.has(id))).toEqual([]);
    return held;
  }

  const points = [
    [
      'before-commit',
      /removed the log of import \d+: it stopped before its facts committed/,
      'imported',
    ],
    ['between-commits', /completed import \d+: its facts had committed/, 'already imported'],
    ['after-commit', null, 'already imported'],
  ] as const;

  // Each case has its own copy of the stores, so they run side by side.
  it.concurrent.each(points)(
    'prescribing killed %s: settled when the stores are next opened, then imported once',
    async (point, settled, again) => {
      const place = await copyOfTemplate();
      const { prescribing } = files();
      const crashed = await flock(place, ['import', 'prescribing', prescribing], point);
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      // The next command settles the stores on opening them, before doing its own work.
      const reimported = await flock(place, ['import', 'prescribing', prescribing]);
      expect(reimported.code, reimported.stderr).toBe(0);
      if (settled) expect(reimported.stderr).toMatch(settled);
      else expect(reimported.stderr).not.toMatch(/completed import|removed/);
      expect(reimported.stdout).toContain(again);
      expect((await expectAgreement(place)).prescribingRows).toBe(5_386);
    },
    120_000,
  );

  it.concurrent(
    'activity killed between the commits: completed by flock check, nothing lost or doubled',
    async () => {
      const place = await copyOfTemplate();
      const { activity } = files();
      const crashed = await flock(
        place,
        ['import', 'practice-activity', activity],
        'between-commits',
      );
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      const check = await flock(place, ['check']);
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/completed import \d+: its facts had committed/);
      expect(check.stdout).toMatch(/Now the system of record and the fact store agree/);
      await expectAgreement(place);
      const again = await flock(place, ['import', 'practice-activity', activity]);
      expect(again.stdout).toContain('already imported');
    },
    120_000,
  );

  it.concurrent(
    'a ledger (system of record only) killed before its commit leaves nothing, then imports',
    async () => {
      const place = await copyOfTemplate();
      const crashed = await flock(place, ['import', 'ledger', ledgerFile], 'before-commit');
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      const reimported = await flock(place, ['import', 'ledger', ledgerFile]);
      expect(reimported.code, reimported.stderr).toBe(0);
      expect(reimported.stdout).toMatch(/imported as ledger: 46 rows read, 46 loaded/);
      await expectAgreement(place);
    },
    120_000,
  );
});
