// Starts the web application: opens the store, applies migrations, seeds on first start, listens.
import path from 'node:path';
import { serve } from '@hono/node-server';
import { isoDate } from '../platform/clock.js';
import pino from 'pino';
import { openStore } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { openFactStore } from '../platform/facts/fact-store.js';
import { reconcileImports, reconciliationText } from '../platform/imports/import-commit.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { recomputeStaleMonths } from '../prescribing/compute.service.js';
import { seedDemoPrescribing } from '../prescribing/synthetic-seed.js';
import { systemActor } from '../platform/audit/audit.service.js';
import {
  DEMO_GROUP,
  DEMO_OTHER_GROUP,
  demoSignIns,
  ensureDemoUsers,
  seedDemoActivity,
  seedDemoPlan,
  seedDemoGovernanceRecords,
  seedPublishedData,
} from './seed.js';

export async function startServer(
  config: Config,
): Promise<{ close: () => Promise<void>; port: number; demoPrescribing: Promise<void> }> {
  const logger = pino({ level: config.logLevel });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(store);
  const facts = await openFactStore({ dataDir: config.dataDir });
  for (const line of reconciliationText(await reconcileImports(store.db, facts)))
    logger.warn(`Flock ${line}.`);
  logger.info({ store: store.description, facts: facts.description }, 'database ready');

  if (config.demo) {
    const started = performance.now();
    await seedPublishedData(
      store.db,
      facts,
      config.sharedDataDir,
      (kind, file, result, seconds) => {
        if (result.status === 'imported')
          logger.info(
            { kind, file, rows: result.rowsLoaded, seconds: +seconds.toFixed(2) },
            'seeded',
          );
      },
    );
    const generatedDir = path.join(config.dataDir, 'generated');
    const synthetic = await seedDemoActivity(store.db, facts, generatedDir, isoDate(new Date()));
    if (synthetic?.status === 'imported') {
      logger.info({ rows: synthetic.rowsLoaded }, 'seeded synthetic practice activity');
    }
    if (await seedDemoPlan(store.db, facts, path.join(generatedDir, 'ledger'), isoDate(new Date())))
      logger.info('seeded the illustrative financial plan and ledger');
    if (await seedDemoGovernanceRecords(store.db, isoDate(new Date())))
      logger.info('seeded the illustrative governing body and register of interests');
    const password = await ensureDemoUsers(store.db, config.dataDir);
    logger.info({ seconds: +((performance.now() - started) / 1000).toFixed(1) }, 'demo data ready');
    console.log('\nDemo sign-ins (password for all: ' + password + '):');
    for (const demo of demoSignIns) console.log(`  ${demo.email.padEnd(28)} ${demo.description}`);
  }

  const app = createApp({ db: store.db, facts, config, logger });
  const server = serve({ fetch: app.fetch, port: config.port });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`\nFlock is running at http://localhost:${port}\n`);

  // The demo's synthetic prescribing (12 months) is prepared after the server is up; pages say so
  // meanwhile. Then any month computed by an earlier method or measure definitions is recomputed.
  const demoPrescribing = (
    config.demo
      ? seedDemoPrescribing(
          store.db,
          facts,
          config.sharedDataDir,
          path.join(config.dataDir, 'generated'),
          [DEMO_GROUP, DEMO_OTHER_GROUP],
          isoDate(new Date()),
          systemActor('seed'),
        ).then(
          () => logger.info('demo prescribing ready'),
          (error: Error) => logger.error({ err: error }, 'demo prescribing failed'),
        )
      : Promise.resolve()
  )
    .then(() =>
      recomputeStaleMonths(store.db, facts, (computed) =>
        logger.info(
          { month: computed.month, seconds: +computed.seconds.toFixed(1) },
          'prescribing recomputed by the current method',
        ),
      ),
    )
    .then(
      () => undefined,
      (error: Error) => logger.error({ err: error }, 'recomputing prescribing failed'),
    );

  const close = async () => {
    await demoPrescribing;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    facts.close();
    await store.close();
  };
  const shutdown = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return { close, port, demoPrescribing };
}
