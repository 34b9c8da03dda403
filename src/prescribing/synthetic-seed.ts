// First start: generates and imports the demo's synthetic prescribing in the background, month by month.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { listMembers } from '../organisations/group.repository.js';
import { requireGroup } from '../organisations/group.service.js';
import type { Actor } from '../platform/audit/audit.service.js';
import type { BackgroundWork } from '../platform/background.js';
import type { Database } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { runImport } from '../platform/imports/import-runner.js';
import { prescribingImporter } from './prescribing.import.js';
import { generateInChildProcess } from './generate-in-child.js';
import {
  calibrationMonths,
  GENERATOR_DATE,
  generatorPractices,
  syntheticFileName,
} from './synthetic-prescribing.js';

/** Practices in the demo's national comparison besides the demo groups' own: 1 in this many. */
export const DEMO_NATIONAL_SAMPLE = 20;

/** A fixed 1-in-N choice of practice codes, the same on every machine. */
export const inDemoSample = (code: string) =>
  createHash('sha256').update(code).digest().readUInt32BE(0) % DEMO_NATIONAL_SAMPLE === 0;

export interface DemoPrescribingStatus {
  state: 'not started' | 'generating' | 'importing' | 'ready' | 'failed';
  monthsImported: number;
  monthsTotal: number;
  message?: string;
}

/** What the prescribing pages say while the demo data is still being prepared. */
export const demoPrescribingStatus: DemoPrescribingStatus = {
  state: 'not started',
  monthsImported: 0,
  monthsTotal: calibrationMonths.length,
};

/**
 * Writes 2018-19 for the demo groups' practices and a 1-in-20 sample of England's (the national
 * comparison), then imports each month and deletes its CSV. Months already imported are skipped, so a
 * restart resumes.
 */
export async function seedDemoPrescribing(
  db: Kysely<Database>,
  facts: FactStore,
  sharedDataDir: string,
  outDir: string,
  groupCodes: readonly string[],
  today: string,
  actor: Actor,
  background?: BackgroundWork,
): Promise<void> {
  const status = demoPrescribingStatus;
  const task = background?.add('The demo prescribing', {
    total: calibrationMonths.length,
    unit: 'months',
  });
  try {
    const done = new Set(
      (
        await db
          .selectFrom('import_log')
          .select('file_name')
          .where('kind', '=', 'prescribing')
          .where('state', '=', 'complete')
          .execute()
      ).map((r) => r.file_name),
    );
    const missing = calibrationMonths.filter((m) => !done.has(syntheticFileName(m)));
    status.monthsImported = calibrationMonths.length - missing.length;
    if (missing.length) {
      const own = new Set<string>();
      for (const code of groupCodes) {
        const group = await requireGroup(db, code, today);
        for (const m of await listMembers(db, group.id, GENERATOR_DATE)) own.add(m.code);
      }
      status.state = 'generating';
      task?.progress(status.monthsImported, 'generating the synthetic months');
      // The register is read once: the generator's practices, of which the demo's are chosen.
      const practices = await generatorPractices(db);
      const practiceCodes = practices
        .map((p) => p.code)
        .filter((c) => own.has(c) || inDemoSample(c));
      // In a child process of lower priority: the server keeps answering meanwhile.
      await generateInChildProcess(practices, {
        sharedDataDir,
        outDir,
        months: missing,
        practiceCodes,
      });
      status.state = 'importing';
      // Background work: DuckDB gets one core, so that the server keeps the other for pages.
      await facts.run('SET threads = 1');
      try {
        for (const month of missing) {
          task?.progress(status.monthsImported, `importing ${month}`);
          const file = path.join(outDir, syntheticFileName(month));
          await runImport(db, prescribingImporter(), file, { actor, facts });
          // About 130 MB a month, and `flock prescribing generate` writes it again byte for byte.
          await rm(file, { force: true });
          status.monthsImported += 1;
        }
      } finally {
        await facts.run('RESET threads');
      }
    }
    status.state = 'ready';
    task?.finish();
  } catch (error) {
    task?.fail(error as Error);
    status.state = 'failed';
    status.message = (error as Error).message;
    throw error;
  }
}
