// Integration test setup: a PostgreSQL server for the tests to run on besides PGlite.
// Uses FLOCK_TEST_DATABASE_URL when given; else starts a throwaway cluster; under CI=true a missing server fails the run.
import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

let cluster: Cluster | undefined;

export async function setup(project: TestProject) {
  const given = process.env.FLOCK_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return;
  }
  const started = await startCluster();
  if ('unavailable' in started) {
    if (process.env.CI === 'true')
      throw new Error(
        `CI needs a PostgreSQL server for the integration tests: ${started.unavailable}`,
      );
    console.warn(`Integration tests will run on PGlite only: ${started.unavailable}`);
    project.provide('postgresUrl', null);
    return;
  }
  cluster = started;
  project.provide('postgresUrl', started.url);
}

export function teardown() {
  cluster?.stop();
}
