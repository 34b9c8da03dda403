// A store seeded with the demo practices' real rows and a few users, plus the app over it.
import type { Hono } from 'hono';
import { createApp } from '../../src/app/app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
import type { Store } from '../../src/platform/db/database.js';
import { openFactStore, type FactStore } from '../../src/platform/facts/fact-store.js';
import type { AppEnv } from '../../src/platform/http/http.types.js';
import { freshStore, type Engine } from './stores.js';
import { writeSubsetData } from './subset-data.js';

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

let subsetDir: string | undefined;
export const subsetData = () => (subsetDir ??= writeSubsetData());

export interface Seeded {
  store: Store;
  facts: FactStore;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

export async function seededApp(engine: Engine): Promise<Seeded> {
  const store = await freshStore(engine);
  const facts = await openFactStore({ dataDir: 'memory' });
  await seedPublishedData(store.db, facts, subsetData());
  await seedDemoActivity(store.db, facts, path.join(subsetData(), 'generated'), '2026-11-22');
  // Each store gets its own folder for the demo ledger files: test files seed in parallel.
  const ledgerDir = mkdtempSync(path.join(tmpdir(), 'flock-test-ledger-'));
  await seedDemoPlan(store.db, facts, ledgerDir, '2026-11-22');
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
    },
  };
}
