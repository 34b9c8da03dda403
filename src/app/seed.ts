// First-start seeding: every practice in England from the published files, the demo group's detail, demo sign-ins.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { systemActor } from '../platform/audit/audit.service.js';
import { createUser, grantRole } from '../platform/auth/user.service.js';
import type { Role } from '../platform/auth/user.table.js';
import type { Database } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { runImport, type ImportResult } from '../platform/imports/import-runner.js';
import { requireGroup } from '../organisations/group.service.js';
import { seedDemoFinance } from '../finance/demo-finance.js';
import { seedDemoGovernance } from '../governance/demo-governance.js';
import { nominateDemoRepresentative } from '../governance/demo-votes.js';
import { seedSyntheticActivity } from '../variation/synthetic-seed.js';
import { importers } from './importers.js';

/** The files loaded on first start, in order: organisations first, then the facts that refer to them. */
export const seedFiles: { kind: string; file: string }[] = [
  { kind: 'ods-practices', file: 'practice-org-mapping/epraccur.csv' },
  { kind: 'practice-mapping', file: 'practice-org-mapping/gp-reg-pat-prac-map_201801.csv' },
  { kind: 'practice-mapping', file: 'practice-org-mapping/gp-reg-pat-prac-map_201904.csv' },
  { kind: 'practice-mapping', file: 'practice-org-mapping/gp-reg-pat-prac-map_201912.csv' },
  { kind: 'nhs-geographies', file: 'practice-org-mapping/MAPPING_NHS_GEOGRAPHIES_2021.csv' },
  { kind: 'nhs-trusts', file: 'practice-org-mapping/NHS_Trust_metadata.csv' },
  {
    kind: 'pcn-membership',
    file: 'gp-registered-patients-age-sex/Sussex_practice_to_PCN_lookup.csv',
  },
  { kind: 'allocations', file: 'allocations-practice-weighted-populations/2022_2023.csv' },
  { kind: 'allocations', file: 'allocations-practice-weighted-populations/2023_2024.csv' },
  { kind: 'allocations', file: 'allocations-practice-weighted-populations/2024_2025.csv' },
  { kind: 'allocations', file: 'allocations-practice-weighted-populations/2025_2026.csv' },
  { kind: 'qof-prevalence', file: 'qof-2020-21/PREVALENCE_2021_v2.csv' },
  { kind: 'imd', file: 'imd-and-workforce-by-practice/IMD_raw.csv' },
  { kind: 'gp-payments', file: 'nhs-payments-to-general-practice/payments_2018-19.csv' },
  { kind: 'gp-payments', file: 'nhs-payments-to-general-practice/payments_2019-20.csv' },
  { kind: 'gp-payments', file: 'nhs-payments-to-general-practice/payments_2020-21.csv' },
  { kind: 'gp-payments', file: 'nhs-payments-to-general-practice/payments_2021-22.csv' },
  { kind: 'gp-payments', file: 'nhs-payments-to-general-practice/payments_2022-23.csv' },
  {
    kind: 'registered-patients',
    file: 'gp-registered-patients-age-sex/Apr_22_five_year_age_sussex.csv',
  },
  {
    kind: 'registered-patients',
    file: 'gp-registered-patients-age-sex/jul_22_five_year_age_sussex.csv',
  },
  { kind: 'england-population', file: 'nhsr-datasets/ons_uk_population_2023.csv' },
  {
    kind: 'mar-commissioner',
    file: 'mar-monthly-activity-by-commissioner/mar_commissioner_2012-04_to_2019-12.csv',
  },
  { kind: 'ae-attendances', file: 'nhsr-datasets/ae_attendances.csv' },
  // Prescribing: the four practices of the real EPD samples need their own age/sex lists for STAR-PU.
  {
    kind: 'registered-patients',
    file: 'gp-registered-patients-age-sex/sample_2017_09_gp-reg-pat-prac-quin-age.csv',
  },
  {
    kind: 'registered-patients',
    file: 'gp-registered-patients-age-sex/sample_2017_10_gp-reg-pat-prac-quin-age.csv',
  },
  { kind: 'bnf-codes', file: 'bnf-codes/BNF_Code_Information_2020-01.csv' },
  { kind: 'formulation-swaps', file: 'prescribing-units/formulation_swaps.csv' },
  { kind: 'prescribing', file: 'prescribing-samples/epd_201709_4practices.csv' },
  { kind: 'prescribing', file: 'prescribing-samples/epd_201710_4practices.csv' },
];

export const DEMO_GROUP = '09G';
export const DEMO_OTHER_GROUP = '09D';

/** Loads every seed file that has not been loaded yet (imports are idempotent). */
export async function seedPublishedData(
  db: Kysely<Database>,
  facts: FactStore,
  sharedDataDir: string,
  onFile?: (kind: string, file: string, result: ImportResult, seconds: number) => void,
): Promise<void> {
  const actor = systemActor('seed');
  for (const { kind, file } of seedFiles) {
    const factory = importers[kind];
    if (!factory) throw new Error(`unknown import kind ${kind}`);
    const started = performance.now();
    const result = await runImport(db, factory(), path.join(sharedDataDir, file), {
      actor,
      facts,
    });
    onFile?.(kind, file, result, (performance.now() - started) / 1000);
  }
}

/**
 * Generates and imports the demo group's synthetic practice activity (no practice-level activity is
 * published), calibrated to its real Monthly Activity Return totals. Runs after the published data.
 */
export async function seedDemoActivity(
  db: Kysely<Database>,
  facts: FactStore,
  outDir: string,
  today: string,
): Promise<ImportResult | undefined> {
  const group = await requireGroup(db, DEMO_GROUP, today);
  return seedSyntheticActivity(db, facts, group, outDir, systemActor('seed'));
}

/** The demo group's illustrative financial plan, QIPP schemes and six months of ledger (once). */
export async function seedDemoPlan(
  db: Kysely<Database>,
  facts: FactStore,
  outDir: string,
  today: string,
): Promise<boolean> {
  return seedDemoFinance(db, facts, await requireGroup(db, DEMO_GROUP, today), outDir);
}

/** The demo group's illustrative governing body and register of interests (once). */
export async function seedDemoGovernanceRecords(db: Kysely<Database>, today: string) {
  return seedDemoGovernance(db, await requireGroup(db, DEMO_GROUP, today), today);
}

/** Links a sign-in to a person in a group's register (so they can declare their own interests). */
export async function linkPersonToUser(
  db: Kysely<Database>,
  groupCode: string,
  personName: string,
  email: string,
) {
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  const group = await db
    .selectFrom('organisation')
    .select('id')
    .where('code', '=', groupCode)
    .where('type', '=', 'group')
    .executeTakeFirst();
  if (!user || !group) return;
  await db
    .updateTable('gov_person')
    .set({ user_id: user.id })
    .where('group_id', '=', group.id)
    .where('name', '=', personName)
    .where('user_id', 'is', null)
    .execute();
}

export interface DemoSignIn {
  email: string;
  role: Role;
  organisation: string;
  description: string;
}

export const demoSignIns: DemoSignIn[] = [
  {
    email: 'lead@demo.flock.test',
    role: 'clinical_lead',
    organisation: DEMO_GROUP,
    description:
      'Clinical lead of NHS Coastal West Sussex CCG (records learning pairs; “Dr Bram Sample” in the register of interests)',
  },
  {
    email: 'gp@demo.flock.test',
    role: 'member',
    organisation: DEMO_GROUP,
    description: 'GP member of NHS Coastal West Sussex CCG',
  },
  {
    email: 'finance@demo.flock.test',
    role: 'finance',
    organisation: DEMO_GROUP,
    description: 'Finance officer, Coastal West Sussex',
  },
  {
    email: 'lay@demo.flock.test',
    role: 'lay_member',
    organisation: DEMO_GROUP,
    description:
      'Lay member of the governing body, Coastal West Sussex (reads the plan and ledger)',
  },
  {
    email: 'admin@demo.flock.test',
    role: 'admin',
    organisation: DEMO_GROUP,
    description: 'Administrator of Coastal West Sussex (sees the audit log)',
  },
  {
    email: 'brighton@demo.flock.test',
    role: 'member',
    organisation: DEMO_OTHER_GROUP,
    description: 'Member of NHS Brighton and Hove CCG (another group)',
  },
];

const demoPasswordFile = (dataDir: string) => path.join(dataDir, 'demo-password.txt');

/**
 * Creates the demo sign-ins once, with a random password kept (readable only by this user) in the
 * data folder so that it can be shown at every start. Returns that password.
 */
export async function ensureDemoUsers(db: Kysely<Database>, dataDir: string): Promise<string> {
  const file = demoPasswordFile(dataDir);
  const existing = await db
    .selectFrom('app_user')
    .select('email')
    .where('is_demo', '=', true)
    .execute();
  const allThere = demoSignIns.every((d) => existing.some((e) => e.email === d.email));
  if (allThere && existsSync(file)) {
    await linkPersonToUser(db, DEMO_GROUP, 'Dr Bram Sample', 'lead@demo.flock.test');
    await nominateDemoRepresentative(db, DEMO_GROUP, 'gp@demo.flock.test');
    return (await readFile(file, 'utf8')).trim();
  }
  const password = existsSync(file)
    ? (await readFile(file, 'utf8')).trim()
    : `demo-${randomBytes(6).toString('base64url')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  const actor = systemActor('seed');
  for (const demo of demoSignIns) {
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', demo.email)
      .executeTakeFirst();
    const userId =
      user?.id ??
      (
        await createUser(db, actor, {
          email: demo.email,
          displayName: demo.description,
          password,
          isDemo: true,
        })
      ).id;
    await grantRole(db, actor, {
      userId,
      role: demo.role,
      organisationCode: demo.organisation,
      organisationType: 'group',
    });
  }
  await linkPersonToUser(db, DEMO_GROUP, 'Dr Bram Sample', 'lead@demo.flock.test');
  await nominateDemoRepresentative(db, DEMO_GROUP, 'gp@demo.flock.test');
  return password;
}
