// SQL for activity facts (DuckDB) and the registered-patient denominators they are divided by (Postgres).
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';

export interface MonthValue {
  month: string;
  value: number;
}

/** A commissioner's monthly values of one MAR measure, oldest first. */
export function commissionerMonthly(facts: FactStore, code: string, measure: string) {
  return facts.all<MonthValue>(
    `SELECT strftime(month, '%Y-%m') AS month, value FROM commissioner_activity
     WHERE commissioner_code = ? AND measure = ? ORDER BY month`,
    [code, measure],
  );
}

export interface CommissionerTotal {
  code: string;
  name: string;
  months: number;
  total: number;
}

/** Every commissioner's total of a measure over a span of months, with how many months it reported. */
export function commissionerTotals(facts: FactStore, measure: string, from: string, to: string) {
  return facts.all<CommissionerTotal>(
    `SELECT commissioner_code AS code, any_value(commissioner_name) AS name,
            count(*) AS months, sum(value) AS total
     FROM commissioner_activity
     WHERE measure = ? AND month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
     GROUP BY commissioner_code ORDER BY commissioner_code`,
    [measure, `${from}-01`, `${to}-01`],
  );
}

/** Financial years (e.g. 2018-19) with all twelve months of the Monthly Activity Return. */
export async function completeMarYears(facts: FactStore): Promise<string[]> {
  const rows = await facts.all<{ year: number; months: number }>(
    `SELECT CASE WHEN month(month) >= 4 THEN year(month) ELSE year(month) - 1 END AS year,
            count(DISTINCT month) AS months
     FROM commissioner_activity WHERE commissioner_code = 'ENG' GROUP BY 1 ORDER BY 1`,
  );
  return rows
    .filter((r) => r.months === 12)
    .map((r) => `${r.year}-${String((r.year + 1) % 100).padStart(2, '0')}`);
}

export interface AeMonth {
  month: string;
  attendances: number;
  breaches: number;
  admissions: number;
}

/** A provider's A&E attendances and 4-hour breaches by month, all department types together. */
export function aeMonthly(facts: FactStore, provider: string) {
  return facts.all<AeMonth>(
    `SELECT strftime(month, '%Y-%m') AS month, sum(attendances) AS attendances,
            sum(breaches) AS breaches, sum(admissions) AS admissions
     FROM ae_attendance WHERE provider_code = ? GROUP BY month ORDER BY month`,
    [provider],
  );
}

export function aeProviders(facts: FactStore) {
  return facts.all<{ code: string; months: number; attendances: number }>(
    `SELECT provider_code AS code, count(DISTINCT month) AS months, sum(attendances) AS attendances
     FROM ae_attendance GROUP BY provider_code ORDER BY provider_code`,
  );
}

export interface GroupPatients {
  code: string;
  name: string;
  practices: number;
  patients: number;
}

/**
 * Registered patients by commissioner in a financial year, as that year's payments file assigns
 * practices to commissioners (its last known list sizes): the same groups the activity returns
 * of that year were made for, before any later merger.
 */
export async function groupRegisteredPatients(
  db: Db,
  financialYear: string,
): Promise<GroupPatients[]> {
  const result = await sql<{ code: string; name: string; practices: number; patients: string }>`
    SELECT p.commissioner_code AS code, coalesce(g.name, p.commissioner_code) AS name,
           count(*)::int AS practices, sum(p.registered_patients)::text AS patients
    FROM gp_payment p
    LEFT JOIN organisation g ON g.code = p.commissioner_code AND g.type = 'group'
    WHERE p.financial_year = ${financialYear} AND p.commissioner_code IS NOT NULL
      AND p.registered_patients > 0
    GROUP BY p.commissioner_code, g.name`.execute(db);
  return result.rows.map((r) => ({ ...r, patients: Number(r.patients) }));
}

export interface AgeSexRow {
  practice_id: number;
  code: string;
  sex: 'female' | 'male';
  age_band: string;
  patients: number;
  extract_date: string;
}

/** Each practice's registered patients by sex and age band, from its latest extract. */
export async function latestAgeSex(db: Db, practiceIds: readonly number[]): Promise<AgeSexRow[]> {
  const result = await sql<AgeSexRow>`
    SELECT r.practice_id, o.code, r.sex, r.age_band, r.patients, r.extract_date::text AS extract_date
    FROM registered_population r JOIN organisation o ON o.id = r.practice_id
    WHERE r.practice_id = any(${[...practiceIds]}::int[])
      AND r.extract_date = (SELECT max(extract_date) FROM registered_population x WHERE x.practice_id = r.practice_id)`.execute(
    db,
  );
  return result.rows;
}

export interface PracticeSpecialtyCount {
  practice_code: string;
  treatment_function: string;
  observed: number;
  synthetic: boolean;
}

/** Activity by practice and treatment function over a span of months, for one point of delivery. */
export function practiceSpecialtyCounts(
  facts: FactStore,
  practiceCodes: readonly string[],
  pointOfDelivery: string,
  from: string,
  to: string,
) {
  if (!practiceCodes.length) return Promise.resolve([]);
  return facts.all<PracticeSpecialtyCount>(
    `SELECT practice_code, treatment_function, sum(count) AS observed, bool_or(synthetic) AS synthetic
     FROM practice_activity
     WHERE practice_code IN (SELECT unnest(string_split(?, ','))) AND point_of_delivery = ?
       AND month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
     GROUP BY ALL`,
    [practiceCodes.join(','), pointOfDelivery, `${from}-01`, `${to}-01`],
  );
}

/** The points of delivery with practice activity held for these practices. */
export async function practiceActivityPoints(facts: FactStore, practiceCodes: readonly string[]) {
  if (!practiceCodes.length) return [];
  const rows = await facts.all<{ pod: string }>(
    `SELECT DISTINCT point_of_delivery AS pod FROM practice_activity
     WHERE practice_code IN (SELECT unnest(string_split(?, ',')))`,
    [practiceCodes.join(',')],
  );
  return rows.map((r) => r.pod);
}

/** The months of practice activity held for these practices, oldest first. */
export async function practiceActivityMonths(facts: FactStore, practiceCodes: readonly string[]) {
  if (!practiceCodes.length) return [];
  const rows = await facts.all<{ month: string }>(
    `SELECT DISTINCT strftime(month, '%Y-%m') AS month FROM practice_activity
     WHERE practice_code IN (SELECT unnest(string_split(?, ','))) ORDER BY month`,
    [practiceCodes.join(',')],
  );
  return rows.map((r) => r.month);
}

/** A practice's monthly activity for a point of delivery, one specialty or all ('*'). */
export function practiceMonthly(
  facts: FactStore,
  practiceCode: string,
  pointOfDelivery: string,
  treatmentFunction: string,
) {
  return facts.all<MonthValue & { synthetic: boolean }>(
    `SELECT strftime(month, '%Y-%m') AS month, sum(count) AS value, bool_or(synthetic) AS synthetic
     FROM practice_activity
     WHERE practice_code = ? AND point_of_delivery = ? AND (? = '*' OR treatment_function = ?)
     GROUP BY month ORDER BY month`,
    [practiceCode, pointOfDelivery, treatmentFunction, treatmentFunction],
  );
}

export interface PracticeSeries {
  practice_code: string;
  treatment_function: string;
  /** Monthly counts, oldest first (months with no row are absent, as in practiceMonthly). */
  values: Float64Array;
}

/**
 * Every practice × treatment function monthly series for a point of delivery, in two ordered reads
 * (the keys, then all the counts as one array) rather than one row object per month: batch work
 * over every practice in England reads tens of millions of counts.
 */
export async function allPracticeSeries(
  facts: FactStore,
  pointOfDelivery: string,
): Promise<PracticeSeries[]> {
  const [keys, counts] = await Promise.all([
    facts.all<{ practice_code: string; treatment_function: string; months: number }>(
      `SELECT practice_code, treatment_function, count(*) AS months FROM practice_activity
       WHERE point_of_delivery = ? GROUP BY ALL ORDER BY practice_code, treatment_function`,
      [pointOfDelivery],
    ),
    facts.numbers(
      `SELECT count FROM practice_activity WHERE point_of_delivery = ?
       ORDER BY practice_code, treatment_function, month`,
      [pointOfDelivery],
    ),
  ]);
  let offset = 0;
  return keys.map((k) => {
    const values = counts.subarray(offset, offset + k.months);
    offset += k.months;
    return { practice_code: k.practice_code, treatment_function: k.treatment_function, values };
  });
}
