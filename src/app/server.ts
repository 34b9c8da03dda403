// Starts the web application: opens the store, applies migrations, seeds on first start, listens.
import path from 'node:path';
import { serve } from '@hono/node-server';
import { isoDate } from '../platform/clock.js';
import pino from 'pino';
import { openStore, type Store } from '../platform/db/database.js';
import { createBackgroundWork, type BackgroundWork } from '../platform/background.js';
import { migrate } from '../platform/db/migrate.js';
import { openFactStore, type FactStore } from '../platform/facts/fact-store.js';
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
  seedFiles,
  seedPublishedData,
} from './seed.js';

export async function startServer(config: Config): Promise<{
  close: () => Promise<void>;
  port: number;
  /** Settles when the first start's seeding is done (at once without the demo). */
  ready: Promise<void>;
  demoPrescribing: Promise<void>;
}> {
  const logger = pino({ level: config.logLevel });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(store);
  const facts = await openFactStore({ dataDir: config.dataDir });
  for (const line of reconciliationText(await reconcileImports(store.db, facts)))
    logger.warn(`Flock ${line}.`);
  logger.info({ store: store.description, facts: facts.description }, 'database ready');

  // The server answers first; the first start's seeding runs behind it, and until the published
  // data is in, pages say what is loading (the data-sources page shows it too).
  const background = createBackgroundWork();
  const app = createApp({ db: store.db, facts, config, logger, background });
  const server = serve({ fetch: app.fetch, port: config.port });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`\nFlock is running at http://localhost:${port}\n`);

  const ready = config.demo
    ? seedDemo(store.db, facts, config, logger, background)
    : Promise.resolve();
  ready.catch(() => undefined); // logged where it failed; the data-sources page says so too

  // The demo's synthetic prescribing (12 months) is prepared once the rest is in; pages say so
  // meanwhile. Then any month computed by an earlier method or measure definitions is recomputed.
  const demoPrescribing = ready.then(
    async () => {
      if (config.demo)
        await seedDemoPrescribing(
          store.db,
          facts,
          config.sharedDataDir,
          path.join(config.dataDir, 'generated'),
          [DEMO_GROUP, DEMO_OTHER_GROUP],
          isoDate(new Date()),
          systemActor('seed'),
          background,
        ).then(
          () => logger.info('demo prescribing ready'),
          (error: Error) => logger.error({ err: error }, 'demo prescribing failed'),
        );
      await recomputeStaleMonths(store.db, facts, (computed) =>
        logger.info(
          { month: computed.month, seconds: +computed.seconds.toFixed(1) },
          'prescribing recomputed by the current method',
        ),
      ).catch((error: Error) => logger.error({ err: error }, 'recomputing prescribing failed'));
    },
    () => undefined, // the seeding failed, and said so where it failed: nothing more is prepared
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
  return { close, port, ready, demoPrescribing };
}

/** The published data, the demo group's synthetic activity, plan, governance and sign-ins (once each). */
async function seedDemo(
  db: Store['db'],
  facts: FactStore,
  config: Config,
  logger: pino.Logger,
  background: BackgroundWork,
): Promise<void> {
  const started = performance.now();
  const demoSteps = [
    'synthetic practice activity',
    'the illustrative plan and ledger',
    'the illustrative governing body',
    'the demo sign-ins',
  ];
  const task = background.add('The published NHS data and the demo group', {
    total: seedFiles.length + demoSteps.length,
    unit: 'steps',
    holdsPages: true,
  });
  const steps = [...seedFiles.map((f) => path.basename(f.file)), ...demoSteps];
  let done = 0;
  const next = () => task.progress(++done, steps[done] ?? null);
  try {
    task.progress(0, steps[0] ?? null);
    await seedPublishedData(db, facts, config.sharedDataDir, (kind, file, result, seconds) => {
      next();
      if (result.status === 'imported')
        logger.info(
          { kind, file, rows: result.rowsLoaded, seconds: +seconds.toFixed(2) },
          'seeded',
        );
    });
    const today = isoDate(new Date());
    const generatedDir = path.join(config.dataDir, 'generated');
    const synthetic = await seedDemoActivity(db, facts, generatedDir, today);
    if (synthetic?.status === 'imported')
      logger.info({ rows: synthetic.rowsLoaded }, 'seeded synthetic practice activity');
    next();
    if (await seedDemoPlan(db, facts, path.join(generatedDir, 'ledger'), today))
      logger.info('seeded the illustrative financial plan and ledger');
    next();
    if (await seedDemoGovernanceRecords(db, today))
      logger.info('seeded the illustrative governing body and register of interests');
    next();
    const password = await ensureDemoUsers(db, config.dataDir);
    task.finish();
    logger.info({ seconds: +((performance.now() - started) / 1000).toFixed(1) }, 'demo data ready');
    console.log('\nDemo sign-ins (password for all: ' + password + '):');
    for (const demo of demoSignIns) console.log(`  ${demo.email.padEnd(28)} ${demo.description}`);
  } catch (error) {
    task.fail(error as Error);
    logger.error({ err: error }, 'seeding the demo failed');
    throw error;
  }
}
