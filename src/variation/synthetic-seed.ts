// Writes and imports the demo group's synthetic practice activity, calibrated to its real monthly totals.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Group } from '../organisations/group.service.js';
import type { Actor } from '../platform/audit/audit.service.js';
import type { Db } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { runImport, type ImportResult } from '../platform/imports/import-runner.js';
import { marMeasureFor, type PointOfDelivery } from './activity.js';
import { practiceActivityImporter } from './activity.import.js';
import { commissionerMonthly } from './activity.repository.js';
import { groupPopulations } from './practice-population.service.js';
import { activityCsvHeader, activityCsvLines, generateActivity } from './synthetic-activity.js';

/** The seed the demo data is generated with; changing it changes every synthetic figure. */
export const DEMO_ACTIVITY_SEED = 20130401;

export const syntheticFileName = (groupCode: string) =>
  `practice-activity-${groupCode}-synthetic.csv`;

/** Generates the CSV for a group; returns its path and the outliers it planted. */
export async function writeSyntheticActivity(
  db: Db,
  facts: FactStore,
  group: Group,
  outDir: string,
  seed = DEMO_ACTIVITY_SEED,
) {
  const populations = await groupPopulations(db, group);
  const totals: Partial<Record<PointOfDelivery, { month: string; total: number }[]>> = {};
  for (const [pod, measure] of Object.entries(marMeasureFor) as [PointOfDelivery, string][]) {
    const series = await commissionerMonthly(facts, group.code, measure);
    if (series.length) totals[pod] = series.map((s) => ({ month: s.month, total: s.value }));
  }
  if (!Object.keys(totals).length || !populations.practices.length) return undefined;
  const { rows, planted } = generateActivity({ practices: populations.practices, totals, seed });
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, syntheticFileName(group.code));
  await writeFile(file, [activityCsvHeader, ...activityCsvLines(rows)].join('\n') + '\n');
  return { file, planted, rows: rows.length };
}

/** Generates and imports once; a later start finds the same file already imported. */
export async function seedSyntheticActivity(
  db: Db,
  facts: FactStore,
  group: Group,
  outDir: string,
  actor: Actor,
): Promise<ImportResult | undefined> {
  const already = await db
    .selectFrom('import_log')
    .select('id')
    .where('kind', '=', 'practice-activity')
    .where('state', '=', 'complete')
    .where('file_name', '=', syntheticFileName(group.code))
    .executeTakeFirst();
  if (already && existsSync(path.join(outDir, syntheticFileName(group.code)))) return undefined;
  const written = await writeSyntheticActivity(db, facts, group, outDir);
  if (!written) return undefined;
  return runImport(db, practiceActivityImporter(), written.file, { actor, facts });
}
