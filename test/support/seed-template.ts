// The seeded stores every integration test file starts from, built once per run (global setup) and
// copied for each file: a PGlite data folder, and on a PostgreSQL server a template database, each
// with its fact store file. Seeding took 10–15 s per file and engine; a copy takes about one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isoDate } from '../../src/platform/clock.js';
import { nominateDemoRepresentative } from '../../src/governance/demo-votes.js';
import {
  linkPersonToUser,
  seedDemoActivity,
  seedDemoGovernanceRecords,
  seedDemoPlan,
  seedPublishedData,
} from '../../src/app/seed.js';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { createUser, grantRole } from '../../src/platform/auth/user.service.js';
import type { Role } from '../../src/platform/auth/user.table.js';
import { openStore } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openFactStore } from '../../src/platform/facts/fact-store.js';

export const PASSWORD = 'correct horse battery staple';

export const users: {
  email: string;
  role: Role;
  organisation: string;
  type: 'group' | 'nation';
}[] = [
  { email: 'gp.coastal@example.nhs.uk', role: 'member', organisation: '09G', type: 'group' },
  { email: 'admin.coastal@example.nhs.uk', role: 'admin', organisation: '09G', type: 'group' },
  {
    email: 'lead.coastal@example.nhs.uk',
    role: 'clinical_lead',
    organisation: '09G',
    type: 'group',
  },
  { email: 'finance.coastal@example.nhs.uk', role: 'finance', organisation: '09G', type: 'group' },
  { email: 'lay.coastal@example.nhs.uk', role: 'lay_member', organisation: '09G', type: 'group' },
  { email: 'gp.brighton@example.nhs.uk', role: 'member', organisation: '09D', type: 'group' },
  { email: 'oversight@example.nhs.uk', role: 'oversight', organisation: 'ENG', type: 'nation' },
];

/** Where the seeded stores are: a data folder (its PGlite and fact store), or a database and a folder. */
export interface SeedTemplates {
  pglite: { dataDir: string };
  postgres: { databaseUrl: string; dataDir: string } | null;
}

/** Seeds a store as the demo does, from the subset of the shared data, with the test users. */
async function seed(
  place: { dataDir: string; databaseUrl?: string },
  subsetDir: string,
): Promise<void> {
  const store = await openStore({ dataDir: place.dataDir, databaseUrl: place.databaseUrl });
  const facts = await openFactStore({ dataDir: place.dataDir });
  try {
    await migrate(store);
    await seedPublishedData(store.db, facts, subsetDir);
    await seedDemoActivity(store.db, facts, path.join(place.dataDir, 'generated'), '2026-11-22');
    await seedDemoPlan(store.db, facts, path.join(place.dataDir, 'ledger'), '2026-11-22');
    await seedDemoGovernanceRecords(store.db, isoDate(new Date()));
    const actor = systemActor('test');
    for (const u of users) {
      const created = await createUser(store.db, actor, {
        email: u.email,
        displayName: u.email.split('@')[0]!,
        password: PASSWORD,
      });
      await grantRole(store.db, actor, {
        userId: created.id,
        role: u.role,
        organisationCode: u.organisation,
        organisationType: u.type,
      });
    }
    await linkPersonToUser(store.db, '09G', 'Dr Bram Sample', 'lead.coastal@example.nhs.uk');
    await nominateDemoRepresentative(store.db, '09G', 'gp.coastal@example.nhs.uk');
  } finally {
    facts.close();
    await store.close();
  }
}

/** A new database on the server, empty or copied from another on it. */
export async function createDatabase(serverUrl: string, template?: string): Promise<string> {
  const name = `flock_test_${Math.random().toString(36).slice(2, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const databaseName = (url: string) => new URL(url).pathname.slice(1);

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Builds the seeded templates (PostgreSQL's only when a server is given). */
export async function buildSeedTemplates(
  subsetDir: string,
  serverUrl: string | null,
): Promise<SeedTemplates> {
  const pgliteDir = mkdtempSync(path.join(tmpdir(), 'flock-seed-pglite-'));
  await seed({ dataDir: pgliteDir }, subsetDir);
  let postgres: SeedTemplates['postgres'] = null;
  if (serverUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'flock-seed-postgres-'));
    const databaseUrl = await createDatabase(serverUrl);
    await seed({ dataDir, databaseUrl }, subsetDir);
    postgres = { databaseUrl, dataDir };
  }
  return { pglite: { dataDir: pgliteDir }, postgres };
}
