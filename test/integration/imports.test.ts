// Importers on real files: all-or-nothing, idempotent, and precise about bad input.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importers } from '../../src/app/importers.js';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import type { Store } from '../../src/platform/db/database.js';
import { ImportError } from '../../src/platform/errors.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import { reconcileImports } from '../../src/platform/imports/import-commit.js';
import { seededApp, subsetData, type Seeded } from '../support/seeded.js';
import { seedFiles } from '../../src/app/seed.js';
import { sharedDataDir } from '../support/subset-data.js';
import { engines } from '../support/stores.js';

const tables = [
  'import_log',
  'organisation',
  'relationship_observation',
  'organisation_relationship',
  'registered_population',
  'reference_population',
  'weighted_population',
  'qof_prevalence',
  'deprivation',
  'gp_payment',
  'app_user',
  'role_grant',
  'audit_event',
];

/** A fingerprint of every row of every table, to prove an import changed nothing. */
async function snapshot(store: Store): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of tables) {
    const row = await sql<{ n: number; digest: string | null }>`
      SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${sql.table(table)} t`.execute(
      store.db,
    );
    result[table] = `${row.rows[0]!.n}:${row.rows[0]!.digest}`;
  }
  return result;
}

const actor = systemActor('test');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'flock-bad-'));

async function importFile(store: Store, kind: string, file: string, period?: string) {
  return runImport(store.db, importers[kind]!(), file, { actor, period });
}

describe.each(engines())('imports on %s', (engine) => {
  let seeded: Seeded;
  let qofFile: string;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    qofFile = path.join(subsetData(), 'qof-2020-21/PREVALENCE_2021_v2.csv');
  });
  afterAll(() => seeded.close());

  it('loaded every seed file and logged each with its hash', async () => {
    const log = await seeded.store.db
      .selectFrom('import_log')
      .select(['kind', 'file_name', 'file_sha256', 'rows_loaded', 'imported_by'])
      .execute();
    // Every seed file, the demo group's synthetic activity, and its illustrative ledger: six months,
    // one of them imported twice (the first export reversed).
    expect(log.filter((l) => l.kind !== 'ledger').length).toBe(seedFiles.length + 1);
    expect(log.filter((l) => l.kind === 'ledger').length).toBe(7);
    expect(log.map((l) => l.kind)).toContain('practice-activity');
    for (const entry of log) {
      expect(entry.file_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.imported_by).toBe('seed');
    }
  });

  it('keeps a dated history for a practice that moved when its CCG merged', async () => {
    const rows = await sql<{ code: string; valid_from: string; valid_to: string | null }>`
      SELECT g.code, r.valid_from::text AS valid_from, r.valid_to::text AS valid_to FROM organisation_relationship r
      JOIN organisation p ON p.id = r.child_id JOIN organisation g ON g.id = r.parent_id
      WHERE p.code = 'H82006' AND r.kind = 'member_of_group' ORDER BY r.valid_from`.execute(
      seeded.store.db,
    );
    expect(rows.rows).toEqual([
      { code: '09G', valid_from: '2018-01-01', valid_to: '2020-04-01' },
      { code: '70F', valid_from: '2020-04-01', valid_to: null },
    ]);
  });

  it('drops the Sussex file’s repeated practice rows instead of double counting', async () => {
    const counts = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT practice_id, sex, age_band, count(*) FROM registered_population
      WHERE extract_date = '2022-04-01' GROUP BY 1, 2, 3 HAVING count(*) > 1) d`.execute(
      seeded.store.db,
    );
    expect(counts.rows[0]!.n).toBe(0);
    const notes = await seeded.store.db
      .selectFrom('import_log')
      .select('notes')
      .where('file_name', '=', 'Apr_22_five_year_age_sussex.csv')
      .executeTakeFirstOrThrow();
    expect(notes.notes ?? '').toMatch(/exact repeat/);
  });

  it('changes nothing when the same file is imported again, even under another name', async () => {
    const before = await snapshot(seeded.store);
    const again = await importFile(seeded.store, 'qof-prevalence', qofFile);
    expect(again.status).toBe('unchanged');
    const renamed = path.join(tmp(), 'PREVALENCE_2021_copy.csv');
    copyFileSync(qofFile, renamed);
    expect((await importFile(seeded.store, 'qof-prevalence', renamed)).status).toBe('unchanged');
    expect(await snapshot(seeded.store)).toEqual(before);
  });

  it('settles the stores: a row whose facts committed is completed, one whose did not is removed, facts without a row are removed', async () => {
    const { store, facts } = seeded;
    const reserve = async (file: string) =>
      (
        await store.db
          .insertInto('import_log')
          .values({
            kind: 'practice-activity',
            file_name: file,
            file_sha256: `test-${file}`,
            period: null,
            imported_by: 'test',
            started_at: new Date(),
            finished_at: new Date(),
            state: 'loading',
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const committed = await reserve('committed.csv');
    const uncommitted = await reserve('uncommitted.csv');
    const unlogged = 2_000_000_000;
    await facts.transaction(async (tx) => {
      for (const [id, month] of [
        [committed, '1999-04-01'],
        [unlogged, '1999-05-01'],
      ] as const) {
        await tx.run(
          `INSERT INTO practice_activity VALUES ('H82006', ?::DATE, 'gp-referral', '100', 1, true, ?)`,
          [month, id],
        );
        await tx.run(
          `INSERT INTO import_commit VALUES (?, 'practice-activity', 1, 1, 0, NULL, now())`,
          [id],
        );
      }
    });
    const result = await reconcileImports(store.db, facts);
    expect(result).toEqual({
      completed: [committed],
      abandoned: [uncommitted],
      orphaned: [{ importId: unlogged, rows: 1 }],
    });
    const log = await store.db
      .selectFrom('import_log')
      .select(['id', 'state', 'rows_loaded'])
      .where('id', 'in', [committed, uncommitted])
      .execute();
    expect(log).toEqual([{ id: committed, state: 'complete', rows_loaded: 1 }]);
    const [left] = await facts.all<{ n: number }>(
      `SELECT count(*) AS n FROM practice_activity WHERE month < DATE '2000-01-01'`,
    );
    expect(left?.n).toBe(1);
    expect(await reconcileImports(store.db, facts, { scanFacts: true })).toEqual({
      completed: [],
      abandoned: [],
      orphaned: [],
    });
  });

  it('refuses to file an already imported file under another period', async () => {
    const before = await snapshot(seeded.store);
    await expect(importFile(seeded.store, 'qof-prevalence', qofFile, '2019-20')).rejects.toThrow(
      /already imported for 2020-21 .*cannot also be 2019-20/,
    );
    expect(await snapshot(seeded.store)).toEqual(before);
  });

  const lines = () => readFileSync(qofFile, 'utf8').trimEnd().split('\n');

  const badFiles: {
    name: string;
    make: () => string;
    expected: { row?: number; column?: string; reason: RegExp };
  }[] = [
    {
      name: 'a missing column',
      make: () =>
        lines()
          .map((l) =>
            l
              .split(',')
              .filter((_, i) => i !== 2)
              .join(','),
          )
          .join('\n'),
      expected: { row: 1, column: 'REGISTER', reason: /missing column "REGISTER"/ },
    },
    {
      name: 'a value of the wrong type',
      make: () =>
        lines()
          .map((l, i) => (i === 3 ? l.replace(/,"?(\d+)"?,("?[A-Z0-9]+"?),/, ',"lots",$2,') : l))
          .join('\n'),
      expected: { row: 4, column: 'REGISTER', reason: /expected a whole number.*found "lots"/ },
    },
    {
      name: 'a duplicate row',
      make: () => [...lines(), lines()[5]!.replace(/,"?(\d+)"?,/, ',"1",')].join('\n'),
      expected: { reason: /duplicate row for/ },
    },
    {
      name: 'an unknown practice code',
      make: () =>
        lines()
          .map((l, i) => (i === 2 ? l.replace(/^"?[A-Z0-9]+"?/, 'Z99999') : l))
          .join('\n'),
      expected: { row: 3, column: 'PRACTICE_CODE', reason: /unknown practice code "Z99999"/ },
    },
    {
      name: 'a truncated file',
      make: () => {
        const text = lines().join('\n');
        return text.slice(0, Math.floor(text.length / 2));
      },
      expected: { reason: /(expected 5 fields, found \d|not valid CSV)/ },
    },
    { name: 'an empty file', make: () => '', expected: { reason: /empty/ } },
    { name: 'a header without rows', make: () => lines()[0]!, expected: { reason: /no rows/ } },
  ];

  it.each(badFiles)(
    'stops on $name, names where, and changes nothing',
    async ({ make, expected }) => {
      const before = await snapshot(seeded.store);
      const file = path.join(tmp(), 'PREVALENCE_2021_bad.csv');
      writeFileSync(file, make());
      const error = await importFile(seeded.store, 'qof-prevalence', file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      const importError = error as ImportError;
      expect(importError.file).toBe('PREVALENCE_2021_bad.csv');
      expect(importError.reason).toMatch(expected.reason);
      if (expected.row !== undefined) expect(importError.row).toBe(expected.row);
      if (expected.column !== undefined) expect(importError.column).toBe(expected.column);
      expect(importError.message).toContain('PREVALENCE_2021_bad.csv');
      expect(await snapshot(seeded.store)).toEqual(before);
    },
  );

  it('asks for the period when the file name does not say it', async () => {
    const file = path.join(tmp(), 'prevalence.csv');
    writeFileSync(file, lines().slice(0, -1).join('\n')); // new content, so it is not already imported
    await expect(importFile(seeded.store, 'qof-prevalence', file)).rejects.toThrow(
      /give it with --period/,
    );
    await expect(importFile(seeded.store, 'qof-prevalence', file, '2021')).rejects.toThrow(
      /not a valid QOF year/,
    );
  });

  it('reads the national age/sex layout as NHS Digital publishes it, skipping its totals rows', async () => {
    // The OpenPrescribing sample's four practices are not in the demo subset: register them first.
    await sql`INSERT INTO organisation (code, type, name, name_rank) VALUES
      ('B85010','practice','B85010',0), ('B85054','practice','B85054',0), ('L84018','practice','L84018',0), ('L84073','practice','L84073',0)
      ON CONFLICT DO NOTHING`.execute(seeded.store.db);
    const file = path.join(
      sharedDataDir,
      'gp-registered-patients-age-sex/sample_2017_09_gp-reg-pat-prac-quin-age.csv',
    );
    const result = await importFile(seeded.store, 'registered-patients', file);
    expect(result).toMatchObject({
      status: 'imported',
      rowsRead: 172,
      rowsLoaded: 160,
      rowsSkipped: 12,
    });
    const total = await sql<{
      n: number;
    }>`SELECT sum(patients)::int AS n FROM registered_population r
      JOIN organisation o ON o.id = r.practice_id WHERE o.code = 'B85010' AND r.extract_date = '2017-09-01'`.execute(
      seeded.store.db,
    );
    expect(total.rows[0]!.n).toBe(6939);
  });
});
