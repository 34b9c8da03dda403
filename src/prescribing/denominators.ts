// Each prescribing practice's list size and STAR-PU, from the registered-patient figures Flock holds.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import { latestListSizes, referencePopulation } from '../population/population.repository.js';
import type { Sex } from '../population/population.table.js';
import { starPu, starPuWeights, type AgeSexCount } from './star-pu.js';

export interface PracticeDenominator {
  practiceCode: string;
  /** A GP practice in the organisation register, open in the month: only these are ranked nationally. */
  standard: boolean;
  listSize: number | null;
  /** Where the age/sex mix came from: the practice's own extract, or England's mix × list size. */
  ageSexFrom: 'extract' | 'england-mix' | 'none';
  starPu: Record<string, number>;
}

/**
 * List size and every STAR-PU weighting for each practice code. The age/sex extract nearest the
 * month is used; a practice without one gets England's age/sex mix scaled to its latest list size.
 */
export async function practiceDenominators(
  db: Db,
  practiceCodes: readonly string[],
  month: string,
): Promise<PracticeDenominator[]> {
  // Standard practices: GP practices in the organisation register open at some time in the month.
  const monthEnd = sql<string>`(${month}::date + interval '1 month' - interval '1 day')::date`;
  const open = await db
    .selectFrom('organisation')
    .select(['id', 'code'])
    .where('type', '=', 'practice')
    .where((eb) => eb.or([eb('open_date', 'is', null), eb('open_date', '<=', monthEnd)]))
    .where((eb) => eb.or([eb('close_date', 'is', null), eb('close_date', '>=', month)]))
    .execute();
  const ids = new Map(open.map((o) => [o.code, o.id]));
  const known = practiceCodes.flatMap((code) => {
    const id = ids.get(code);
    return id === undefined ? [] : [{ code, id }];
  });
  const idList = known.map((k) => k.id);
  const extracts = await sql<{ practice_id: number; sex: Sex; age_band: string; patients: number }>`
    WITH nearest AS (
      SELECT DISTINCT ON (practice_id) practice_id, extract_date FROM registered_population
      WHERE practice_id = any(${idList}::int[])
      ORDER BY practice_id, abs(extract_date - ${month}::date), extract_date)
    SELECT r.practice_id, r.sex, r.age_band, r.patients FROM registered_population r
    JOIN nearest n USING (practice_id, extract_date)`.execute(db);
  const bands = new Map<number, AgeSexCount[]>();
  for (const row of extracts.rows) {
    const list = bands.get(row.practice_id) ?? [];
    list.push({ sex: row.sex, band: row.age_band, patients: row.patients });
    bands.set(row.practice_id, list);
  }
  const sizes = new Map(
    (await latestListSizes(db, idList)).map((s) => [s.practice_id, s.patients]),
  );
  const england = await englandMix(db);
  const weights = starPuWeights();
  const byId = new Map(known.map((k) => [k.code, k.id]));
  return practiceCodes.map((code) => {
    const id = byId.get(code);
    const own = id === undefined ? undefined : bands.get(id);
    const size = id === undefined ? undefined : sizes.get(id);
    let population: AgeSexCount[] | undefined;
    let ageSexFrom: PracticeDenominator['ageSexFrom'] = 'none';
    if (own) {
      population = own;
      ageSexFrom = 'extract';
    } else if (size !== undefined && england) {
      population = england.map((b) => ({ ...b, patients: b.patients * size }));
      ageSexFrom = 'england-mix';
    }
    const listSize = own ? own.reduce((s, b) => s + b.patients, 0) : (size ?? null);
    const units: Record<string, number> = {};
    if (population)
      for (const [name, w] of Object.entries(weights)) units[name] = starPu(w, population);
    return { practiceCode: code, standard: id !== undefined, listSize, ageSexFrom, starPu: units };
  });
}

/** England's population by sex and band as shares of 1, from ONS (or undefined if not imported). */
async function englandMix(db: Db): Promise<AgeSexCount[] | undefined> {
  const reference = await referencePopulation(db, 'E92000001');
  if (!reference) return undefined;
  const total = reference.rows.reduce((s, r) => s + r.people, 0);
  return reference.rows.map((r) => ({ sex: r.sex, band: r.age_band, patients: r.people / total }));
}
