// SQL for practice population facts: list sizes, age/sex, weighted populations, QOF registers, deprivation.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import type { Sex } from './population.table.js';

const ids = (practiceIds: readonly number[]) => sql`${[...practiceIds]}::int[]`;

export interface ListSizeRow {
  practice_id: number;
  patients: number;
  source: 'registered-patients' | 'qof-prevalence' | 'allocations';
  period: string;
}

/**
 * The most recent registered-patient count held for each practice: the age/sex extract when there is
 * one, else the QOF list size, else the allocation file's registered patients.
 */
export async function latestListSizes(
  db: Db,
  practiceIds: readonly number[],
): Promise<ListSizeRow[]> {
  if (!practiceIds.length) return [];
  // The range as well as the list: many ids are then read by one index range scan, not one each.
  const from = practiceIds.reduce((a, b) => Math.min(a, b));
  const to = practiceIds.reduce((a, b) => Math.max(a, b));
  const wanted = sql`practice_id BETWEEN ${from} AND ${to} AND practice_id = any(${ids(practiceIds)})`;
  const result = await sql<ListSizeRow>`
    WITH agesex AS (
      SELECT DISTINCT ON (practice_id) practice_id, extract_date, sum(patients) OVER (PARTITION BY practice_id, extract_date)::int AS patients
      FROM registered_population WHERE ${wanted}
      ORDER BY practice_id, extract_date DESC),
    qof AS (
      SELECT DISTINCT ON (practice_id) practice_id, qof_year, list_size FROM qof_prevalence
      WHERE ${wanted} AND list_type = 'TOTAL' ORDER BY practice_id, qof_year DESC, list_size DESC),
    alloc AS (
      SELECT DISTINCT ON (practice_id) practice_id, allocation_year, registered_patients FROM weighted_population
      WHERE ${wanted} AND registered_patients IS NOT NULL ORDER BY practice_id, allocation_year DESC)
    SELECT p.id AS practice_id,
      coalesce(agesex.patients, qof.list_size, round(alloc.registered_patients)::int) AS patients,
      CASE WHEN agesex.patients IS NOT NULL THEN 'registered-patients' WHEN qof.list_size IS NOT NULL THEN 'qof-prevalence' ELSE 'allocations' END AS source,
      coalesce(agesex.extract_date::text, qof.qof_year, alloc.allocation_year) AS period
    FROM unnest(${ids(practiceIds)}) AS p(id)
    LEFT JOIN agesex ON agesex.practice_id = p.id LEFT JOIN qof ON qof.practice_id = p.id LEFT JOIN alloc ON alloc.practice_id = p.id
    WHERE coalesce(agesex.patients, qof.list_size, alloc.registered_patients) IS NOT NULL`.execute(
    db,
  );
  return result.rows;
}

export const allocationComponents = [
  { key: 'general_and_acute', label: 'General and acute' },
  { key: 'community_services', label: 'Community services' },
  { key: 'mental_health', label: 'Mental health' },
  { key: 'maternity', label: 'Maternity' },
  { key: 'prescribing', label: 'Prescribing' },
  { key: 'health_inequalities', label: 'Health inequalities adjustment' },
  { key: 'core_services', label: 'Core services (overall)' },
  { key: 'primary_medical_care', label: 'Primary medical care' },
] as const;
export type AllocationComponent = (typeof allocationComponents)[number]['key'];

/** Each practice's weighted population in the latest allocation year that includes it. */
export async function latestWeightedPopulations(db: Db, practiceIds: readonly number[]) {
  const result = await sql<{
    practice_id: number;
    allocation_year: string;
    core_services: number | null;
  }>`
    SELECT DISTINCT ON (practice_id) practice_id, allocation_year, core_services FROM weighted_population
    WHERE practice_id = any(${ids(practiceIds)}) ORDER BY practice_id, allocation_year DESC`.execute(
    db,
  );
  return result.rows;
}

export const allocationYears = async (db: Db) =>
  (
    await db
      .selectFrom('weighted_population')
      .select('allocation_year')
      .distinct()
      .orderBy('allocation_year', 'desc')
      .execute()
  ).map((r) => r.allocation_year);

type ComponentSums = Record<AllocationComponent, number | null> & {
  practices: number;
  projected_population: number;
};

// Summed exactly (as numeric) and rounded once: a sum of doubles depends on the order rows are
// read in, which a restored copy or a parallel plan changes, so the last digits would differ.
const componentSums = sql.raw(
  [
    ...allocationComponents.map((c) => `sum(${c.key}::numeric)::float8 AS ${c.key}`),
    'sum(projected_population::numeric)::float8 AS projected_population',
    'count(*)::int AS practices',
  ].join(', '),
);

/** Sums of weighted population by component for some practices in an allocation year. */
export async function sumWeightedPopulation(
  db: Db,
  year: string,
  practiceIds: readonly number[],
): Promise<ComponentSums> {
  const result = await sql<ComponentSums>`SELECT ${componentSums} FROM weighted_population
    WHERE allocation_year = ${year} AND practice_id = any(${ids(practiceIds)})`.execute(db);
  return result.rows[0]!;
}

/** The ICB and region of the given practices in an allocation year (the most common), with their totals. */
export async function allocationAreaTotals(db: Db, year: string, practiceIds: readonly number[]) {
  const area = await sql<{
    icb_code: string | null;
    icb_name: string | null;
    region_code: string | null;
    region_name: string | null;
  }>`
    SELECT icb_code, icb_name, region_code, region_name FROM weighted_population
    WHERE allocation_year = ${year} AND practice_id = any(${ids(practiceIds)})
    GROUP BY icb_code, icb_name, region_code, region_name ORDER BY count(*) DESC LIMIT 1`.execute(
    db,
  );
  const found = area.rows[0];
  if (!found) return undefined;
  const icb =
    await sql<ComponentSums>`SELECT ${componentSums} FROM weighted_population WHERE allocation_year = ${year} AND icb_code = ${found.icb_code}`.execute(
      db,
    );
  const region =
    await sql<ComponentSums>`SELECT ${componentSums} FROM weighted_population WHERE allocation_year = ${year} AND region_code = ${found.region_code}`.execute(
      db,
    );
  const england =
    await sql<ComponentSums>`SELECT ${componentSums} FROM weighted_population WHERE allocation_year = ${year}`.execute(
      db,
    );
  return { ...found, icb: icb.rows[0]!, region: region.rows[0]!, england: england.rows[0]! };
}

export async function deprivationFor(db: Db, practiceIds: readonly number[], year: number) {
  return db
    .selectFrom('deprivation')
    .select(['practice_id', 'score', 'national_decile'])
    .where('imd_year', '=', year)
    .where(sql<boolean>`practice_id = any(${ids(practiceIds)})`)
    .execute();
}

export const latestQofYear = async (db: Db) =>
  (
    await db
      .selectFrom('qof_prevalence')
      .select((eb) => eb.fn.max('qof_year').as('year'))
      .executeTakeFirst()
  )?.year ?? null;

export async function prevalenceFor(db: Db, practiceIds: readonly number[], year: string) {
  return db
    .selectFrom('qof_prevalence')
    .select(['practice_id', 'register_code', 'register_size', 'list_size', 'list_type'])
    .where('qof_year', '=', year)
    .where(sql<boolean>`practice_id = any(${ids(practiceIds)})`)
    .execute();
}

/** Register and list totals by register, over some practices (or all of England when none are given). */
export async function prevalenceTotals(db: Db, year: string, practiceIds?: readonly number[]) {
  const result = await sql<{
    register_code: string;
    register_size: number;
    list_size: number;
    practices: number;
  }>`
    SELECT register_code, sum(register_size)::int AS register_size, sum(list_size)::int AS list_size, count(*)::int AS practices
    FROM qof_prevalence WHERE qof_year = ${year}
    ${practiceIds ? sql`AND practice_id = any(${ids(practiceIds)})` : sql``}
    GROUP BY register_code`.execute(db);
  return result.rows;
}

export async function latestExtractDate(db: Db, practiceId: number) {
  const row = await db
    .selectFrom('registered_population')
    .select((eb) => eb.fn.max('extract_date').as('extract_date'))
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
  return row?.extract_date ?? null;
}

export async function ageSexTotals(db: Db, practiceIds: readonly number[], extractDate: string) {
  const result = await sql<{ sex: Sex; age_band: string; patients: number; practices: number }>`
    SELECT sex, age_band, sum(patients)::int AS patients, count(DISTINCT practice_id)::int AS practices
    FROM registered_population WHERE extract_date = ${extractDate}::date AND practice_id = any(${ids(practiceIds)})
    GROUP BY sex, age_band`.execute(db);
  return result.rows;
}

/** ONS population by sex and band for an area (latest period), e.g. England E92000001. */
export async function referencePopulation(db: Db, areaCode: string) {
  const latest = await db
    .selectFrom('reference_population')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('area_code', '=', areaCode)
    .executeTakeFirst();
  if (!latest?.period) return undefined;
  const rows = await db
    .selectFrom('reference_population')
    .select(['sex', 'age_band', 'people', 'area_name'])
    .where('area_code', '=', areaCode)
    .where('period', '=', latest.period)
    .execute();
  return { period: latest.period, rows };
}
