// Integration test setup: a PostgreSQL server for the tests to run on besides PGlite, the subset of
// the shared data, and the seeded stores each test file copies.
// Uses FLOCK_TEST_DATABASE_URL when given; else starts a throwaway cluster; under CI=true a missing server fails the run.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './postgres-cluster.js';
import {
  buildSeedTemplates,
  databaseName,
  dropDatabase,
  type SeedTemplates,
} from './seed-template.js';
import { writeSubsetData } from './subset-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    subsetDir: string;
    seedTemplates: SeedTemplates;
  }
}

let cluster: Cluster | undefined;
let cleanup: (() => Promise<void>) | undefined;

async function postgresUrl(): Promise<string | null> {
  const given = process.env.FLOCK_TEST_DATABASE_URL;
  if (given) return given;
  const started = await startCluster();
  if ('unavailable' in started) {
    if (process.env.CI === 'true')
      throw new Error(
        `CI needs a PostgreSQL server for the integration tests: ${started.unavailable}`,
      );
    console.warn(`Integration tests will run on PGlite only: ${started.unavailable}`);
    return null;
  }
  cluster = started;
  return started.url;
}

export async function setup(project: TestProject) {
  const url = await postgresUrl();
  project.provide('postgresUrl', url);
  const subsetDir = writeSubsetData();
  project.provide('subsetDir', subsetDir);
  const templates = await buildSeedTemplates(subsetDir, url);
  project.provide('seedTemplates', templates);
  cleanup = async () => {
    if (url && templates.postgres)
      await dropDatabase(url, databaseName(templates.postgres.databaseUrl));
    for (const dir of [subsetDir, templates.pglite.dataDir, templates.postgres?.dataDir])
      if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

export async function teardown() {
  await cleanup?.().catch(() => undefined);
  cluster?.stop();
}
