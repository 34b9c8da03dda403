// The `flock` command line: serve, import, seed, user and migrate, with one place that reports errors.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import cliProgress from 'cli-progress';
import { systemActor } from '../platform/audit/audit.service.js';
import {
  BackupError,
  backupStores,
  restoreStores,
  type BackupManifest,
} from '../platform/backup/backup.js';
import {
  createUser,
  disableUser,
  grantRole,
  revokeRole,
  setPassword,
} from '../platform/auth/user.service.js';
import { roles, type Role } from '../platform/auth/user.table.js';
import { openStore, StoreInUseError, type Store } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { openFactStore, type FactStore } from '../platform/facts/fact-store.js';
import { AppError, CliError, ImportError } from '../platform/errors.js';
import { runImport } from '../platform/imports/import-runner.js';
import { reconcileImports, reconciliationText } from '../platform/imports/import-commit.js';
import { methodNames, runCase } from '../stats/methods.js';
import { organisationTypes, type OrganisationType } from '../organisations/organisation.table.js';
import { loadConfig, type Config } from './config.js';
import { importers, importKinds } from './importers.js';
import { requireGroup } from '../organisations/group.service.js';
import { isoDate } from '../platform/clock.js';
import { DEMO_ACTIVITY_SEED, writeSyntheticActivity } from '../variation/synthetic-seed.js';
import { seedPublishedData } from './seed.js';
import { listMembers } from '../organisations/group.repository.js';
import { computeMonth } from '../prescribing/compute.service.js';
import {
  calibrationMonths,
  DEMO_PRESCRIBING_SEED,
  generatePrescribing,
} from '../prescribing/synthetic-prescribing.js';
import { startServer } from './server.js';
import { reverseLoad } from '../finance/ledger.service.js';

const cliActor = () => systemActor(`cli:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}`);

async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(store);
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * The system of record and the fact store together, for commands that load facts; an import that a
 * crash left between the two stores' commits is settled first.
 */
async function withStores<T>(
  config: Config,
  work: (store: Store, facts: FactStore) => Promise<T>,
  { reconcile = true } = {},
): Promise<T> {
  return withStore(config, async (store) => {
    const facts = await openFactStore({ dataDir: config.dataDir });
    try {
      if (reconcile)
        for (const line of reconciliationText(await reconcileImports(store.db, facts)))
          console.error(`Flock ${line}.`);
      return await work(store, facts);
    } finally {
      facts.close();
    }
  });
}

const backupSummary = (manifest: BackupManifest) => {
  const count = (tables: { rows: number }[]) =>
    tables.reduce((sum, t) => sum + t.rows, 0).toLocaleString('en-GB');
  return (
    `${count(manifest.record.tables)} rows in ${manifest.record.tables.length} tables of the system of record, ` +
    `${count(manifest.facts.tables)} rows in ${manifest.facts.tables.length} tables of the fact store`
  );
};

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

function progressBar(label: string) {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} MB`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(read: number, total: number) {
      const mb = (n: number) => Math.round((n / 1e6) * 10) / 10;
      if (!started) {
        bar.start(mb(total), 0);
        started = true;
      }
      bar.update(mb(read));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function buildProgram(config: () => Config): Command {
  const program = new Command('flock')
    .description('Flock: the working system of a clinically-led commissioning group')
    .exitOverride();

  program
    .command('serve')
    .description('run the web application (seeds the demo group on first start in demo mode)')
    .action(async () => {
      await startServer(config());
    });

  program
    .command('import')
    .description(`import a published data file; kinds: ${importKinds.join(', ')}`)
    .argument('<kind>', 'what the file is')
    .argument('<file>', 'path to the CSV file')
    .option('--period <period>', 'the period the file covers, when its name does not say')
    .action(async (kind: string, file: string, options: { period?: string }) => {
      const factory = importers[kind];
      if (!factory)
        throw new CliError(`Unknown import kind "${kind}". Kinds: ${importKinds.join(', ')}`, 2);
      await withStores(config(), async (store, facts) => {
        const bar = progressBar(kind);
        try {
          const result = await runImport(store.db, factory(), file, {
            actor: cliActor(),
            facts,
            period: options.period,
            onProgress: bar.update,
          });
          bar.stop();
          if (result.status === 'unchanged') {
            console.log(
              `${result.file}: already imported (import ${result.previousImportId}, ${result.importedAt.toISOString()}); nothing changed.`,
            );
          } else {
            console.log(
              `${result.file}: imported as ${kind}${result.period ? ` for ${result.period}` : ''}: ` +
                `${result.rowsRead} rows read, ${result.rowsLoaded} loaded, ${result.rowsSkipped} skipped (import ${result.importId}).`,
            );
            for (const note of result.notes) console.log(`  ${note}`);
          }
        } finally {
          bar.stop();
        }
      });
    });

  program
    .command('seed')
    .description(
      'load every published data file Flock ships a seed for (already-loaded files are skipped)',
    )
    .action(async () => {
      const c = config();
      await withStores(c, (store, facts) =>
        seedPublishedData(store.db, facts, c.sharedDataDir, (kind, file, result, seconds) => {
          console.log(
            `${kind.padEnd(20)} ${file.padEnd(70)} ${result.status.padEnd(9)} ${seconds.toFixed(1)} s`,
          );
        }),
      );
    });

  program
    .command('backup')
    .description(
      'write a consistent backup of both stores (the system of record and the fact store) into a new folder',
    )
    .argument('<dir>', 'folder to write the backup to (new or empty)')
    .action(async (dir: string) => {
      const target = path.resolve(dir);
      const manifest = await withStores(config(), (store, facts) =>
        backupStores(store, facts, target, cliActor()),
      );
      console.log(`${target}: ${backupSummary(manifest)}.`);
    });

  program
    .command('restore')
    .description(
      'restore a backup made by `flock backup` into a new data folder or PostgreSQL database',
    )
    .argument('<dir>', 'the backup folder')
    .action(async (dir: string) => {
      const c = config();
      const source = path.resolve(dir);
      const store = await openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
      let result;
      try {
        result = await restoreStores(store, c.dataDir, source, cliActor());
      } finally {
        await store.close();
      }
      // Opening both stores applies any migration newer than the backup.
      await withStores(c, async () => undefined);
      console.log(
        `Restored ${source} (made ${result.manifest.createdAt}): ${backupSummary(result.manifest)}.`,
      );
    });

  program
    .command('check')
    .description(
      'check that the two stores agree: settle imports a crash left half-done and remove facts without an import',
    )
    .action(async () => {
      await withStores(
        config(),
        async (store, facts) => {
          const result = await reconcileImports(store.db, facts, { scanFacts: true });
          const lines = reconciliationText(result);
          for (const line of lines) console.log(`Flock ${line}.`);
          const [{ imports } = { imports: 0 }] = await store.db
            .selectFrom('import_log')
            .select((eb) => eb.fn.countAll<number>().as('imports'))
            .execute();
          console.log(
            `${lines.length ? 'Now the' : 'The'} system of record and the fact store agree (${Number(imports)} imports logged).`,
          );
        },
        { reconcile: false },
      );
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const c = config();
      const store = await openStore({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
      try {
        const applied = await migrate(store);
        console.log(
          applied.length ? `Applied migrations ${applied.join(', ')}` : 'Database is up to date',
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('stats')
    .description('check the statistical methods from outside')
    .command('run')
    .description(
      `read a JSON array of {"id","method","inputs"} cases on standard input and write ` +
        `{"id","method","result"} (or "error") for each; methods: ${methodNames.join(', ')}`,
    )
    .action(async () => {
      const text = await readStdin();
      let cases: unknown;
      try {
        cases = JSON.parse(text);
      } catch (error) {
        throw new CliError(`Standard input is not JSON: ${(error as Error).message}`, 2);
      }
      if (!Array.isArray(cases)) {
        throw new CliError('Standard input must be a JSON array of cases', 2);
      }
      process.stdout.write(`${JSON.stringify(cases.map(runCase), null, 2)}\n`);
    });

  program
    .command('activity')
    .description('practice activity')
    .command('generate')
    .description(
      "write synthetic practice activity for a group as a practice-activity CSV: it adds up exactly to the group's real Monthly Activity Return, follows its practices' age and sex, plants four outliers, and is marked synthetic on every row (docs/methods.md); import it with `flock import practice-activity <file>`",
    )
    .argument('<group>', 'group ODS code, e.g. 09D')
    .option(
      '--seed <n>',
      'random seed: the same seed and data give the same rows',
      String(DEMO_ACTIVITY_SEED),
    )
    .option('--out <dir>', 'folder to write the CSV to (default: FLOCK_DATA_DIR/generated)')
    .action(async (code: string, options: { seed: string; out?: string }) => {
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new CliError(`--seed must be a whole number of 0 or more, not "${options.seed}"`, 2);
      }
      const cfg = config();
      await withStores(cfg, async (store, facts) => {
        const group = await requireGroup(store.db, code.toUpperCase(), isoDate(new Date()));
        const outDir = path.resolve(options.out ?? path.join(cfg.dataDir, 'generated'));
        const written = await writeSyntheticActivity(store.db, facts, group, outDir, seed);
        if (!written) {
          throw new CliError(
            `Nothing to generate for ${group.name}: it needs the Monthly Activity Return (flock import mar-commissioner) and practices with registered patients (flock import registered-patients).`,
            1,
          );
        }
        console.log(
          `${written.file}: ${written.rows} rows of synthetic activity for ${group.name} (seed ${seed})`,
        );
        for (const p of written.planted) {
          console.log(
            `  planted: ${p.practiceCode}, treatment function ${p.specialty}, × ${p.factor}`,
          );
        }
      });
    });

  const prescribing = program
    .command('prescribing')
    .description('synthetic prescribing months, and recomputing measures');
  prescribing
    .command('generate')
    .description(
      'write synthetic English Prescribing Dataset months (one CSV per month, every row marked SYNTHETIC=Y), calibrated so that Coastal West Sussex matches its real 2018-19 totals by BNF section (docs/methods.md); import each with `flock import prescribing <file>`',
    )
    .option(
      '--practices <scope>',
      "'all' (every open practice in England with a list size) or a group code",
      'all',
    )
    .option(
      '--months <list>',
      'comma-separated months (YYYY-MM) to write',
      calibrationMonths.join(','),
    )
    .option(
      '--seed <n>',
      'random seed: the same seed and data give the same rows',
      String(DEMO_PRESCRIBING_SEED),
    )
    .option('--out <dir>', 'folder to write to (default: FLOCK_DATA_DIR/generated)')
    .action(async (options: { practices: string; months: string; seed: string; out?: string }) => {
      const seed = Number(options.seed);
      if (!Number.isSafeInteger(seed) || seed < 0)
        throw new CliError(`--seed must be a whole number of 0 or more, not "${options.seed}"`, 2);
      const months = options.months.split(',').map((m) => m.trim());
      const badMonth = months.find((m) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(m));
      if (badMonth !== undefined)
        throw new CliError(`--months: "${badMonth}" is not a month (YYYY-MM)`, 2);
      const cfg = config();
      await withStores(cfg, async (store, facts) => {
        let practiceCodes: string[] | undefined;
        if (options.practices !== 'all') {
          const group = await requireGroup(store.db, options.practices.toUpperCase(), '2019-03-31');
          practiceCodes = (await listMembers(store.db, group.id, group.as_at)).map((m) => m.code);
        }
        const outDir = path.resolve(options.out ?? path.join(cfg.dataDir, 'generated'));
        const result = await generatePrescribing(
          store.db,
          facts,
          { sharedDataDir: cfg.sharedDataDir, outDir, months, practiceCodes, seed },
          (done) =>
            console.log(
              `${done.file}: ${done.rows} rows for ${done.practices} practices (synthetic, seed ${seed})`,
            ),
        );
        console.log(
          `planted high-cost outliers (branded products): ${result.planted.join(', ') || 'none'}`,
        );
      });
    });
  prescribing
    .command('compute')
    .description(
      'recompute every measure and price-per-unit saving for the months held (after changing measures or list sizes)',
    )
    .option('--month <YYYY-MM>', 'only this month')
    .action(async (options: { month?: string }) => {
      const cfg = config();
      await withStores(cfg, async (store, facts) => {
        const months = options.month
          ? [`${options.month}-01`]
          : (
              await facts.all<{ month: string }>(
                "SELECT DISTINCT strftime(month, '%Y-%m-%d') AS month FROM prescribing ORDER BY 1",
              )
            ).map((r) => r.month);
        for (const month of months)
          console.log((await computeMonth(store.db, facts, month)).summary);
      });
    });

  program
    .command('ledger')
    .description('finance ledger controls')
    .command('reverse')
    .description(
      'reverse a wrongly imported month of actuals (the rows are kept but no longer count), so a corrected file can be imported',
    )
    .argument('<import>', 'the import number (from flock import or the ledger page)')
    .requiredOption('--reason <text>', 'why the import is reversed')
    .action(async (importId: string, options: { reason: string }) => {
      const cfg = config();
      await withStore(cfg, async (store) => {
        const id = Number(importId);
        const load = Number.isSafeInteger(id)
          ? await store.db
              .selectFrom('ledger_load')
              .innerJoin('organisation', 'organisation.id', 'ledger_load.group_id')
              .select(['organisation.code'])
              .where('ledger_load.import_id', '=', id)
              .executeTakeFirst()
          : undefined;
        if (!load) throw new CliError(`Import ${importId} is not a ledger import`, 2);
        const group = await requireGroup(store.db, load.code, isoDate(new Date()));
        const reversed = await reverseLoad(
          store.db,
          { system: cliActor().label },
          group,
          id,
          options.reason,
        );
        console.log(
          `Import ${id} (${group.code} ${reversed.period}) reversed; its rows are kept but no longer count.`,
        );
      });
    });

  const user = program.command('user').description('manage users and roles');
  user
    .command('add')
    .description(
      'add a user; the password is read from standard input with --password-stdin, else one is generated and printed',
    )
    .argument('<email>')
    .requiredOption('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, options: { name: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin
        ? await readStdin()
        : randomBytes(12).toString('base64url');
      await withStore(config(), async (store) => {
        const created = await createUser(store.db, cliActor(), {
          email,
          displayName: options.name,
          password,
        });
        console.log(`Added user ${created.email} (id ${created.id}).`);
        if (!options.passwordStdin) console.log(`Password: ${password}`);
      });
    });
  user
    .command('role')
    .description(
      `grant (or with --revoke, remove) a role in an organisation; roles: ${roles.join(', ')}`,
    )
    .argument('<email>')
    .argument('<role>')
    .argument('<organisation>', 'organisation code, e.g. 09G, or ENG for England')
    .option(
      '--type <type>',
      `organisation type when the code is ambiguous (${organisationTypes.join(', ')})`,
    )
    .option('--revoke', 'remove the role instead')
    .action(
      async (
        email: string,
        role: string,
        organisation: string,
        options: { type?: string; revoke?: boolean },
      ) => {
        if (!(roles as readonly string[]).includes(role))
          throw new CliError(`Unknown role "${role}". Roles: ${roles.join(', ')}`, 2);
        if (options.type && !(organisationTypes as readonly string[]).includes(options.type)) {
          throw new CliError(`Unknown organisation type "${options.type}"`, 2);
        }
        const type = options.type as OrganisationType | undefined;
        await withStore(config(), async (store) => {
          if (options.revoke) {
            const removed = await revokeRole(store.db, cliActor(), {
              email,
              role: role as Role,
              organisationCode: organisation,
              organisationType: type,
            });
            console.log(
              removed
                ? `Removed ${role} in ${organisation} from ${email}.`
                : `${email} did not have ${role} in ${organisation}.`,
            );
          } else {
            const result = await grantRole(store.db, cliActor(), {
              email,
              role: role as Role,
              organisationCode: organisation,
              organisationType: type,
            });
            console.log(
              result.added
                ? `Granted ${role} in ${result.organisation.name} (${result.organisation.code}) to ${email}.`
                : `${email} already has ${role} in ${organisation}.`,
            );
          }
        });
      },
    );
  user
    .command('disable')
    .description('stop a user signing in and end their sessions')
    .argument('<email>')
    .action(async (email: string) => {
      await withStore(config(), async (store) => {
        const changed = await disableUser(store.db, cliActor(), email);
        console.log(changed ? `Disabled ${email}.` : `${email} was already disabled.`);
      });
    });
  user
    .command('password')
    .description("set a user's password from standard input")
    .argument('<email>')
    .action(async (email: string) => {
      const password = await readStdin();
      await withStore(config(), (store) => setPassword(store.db, cliActor(), email, password));
      console.log(`Password set for ${email}; their sessions were ended.`);
    });
  return program;
}

/** Runs the CLI; errors become a message on standard error and an exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(() => loadConfig());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof ImportError) {
      console.error(`Import stopped, nothing was changed.\n${error.message}`);
      process.exitCode = 3;
      return;
    }
    if (error instanceof StoreInUseError) {
      console.error(error.message);
      process.exitCode = 4;
      return;
    }
    if (error instanceof BackupError) {
      console.error(`${error.message}.`);
      process.exitCode = 5;
      return;
    }
    if (error instanceof CliError || error instanceof AppError) {
      console.error(error.message);
      process.exitCode = error instanceof CliError ? error.exitCode : 2;
      return;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
